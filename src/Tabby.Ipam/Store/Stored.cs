namespace Tabby.Ipam.Store;

/// <summary>A stored IPAM object with the revision it was read at, for a compare-and-swap write.</summary>
public sealed record Stored<T>(string Key, T Value, long ModRevision);
