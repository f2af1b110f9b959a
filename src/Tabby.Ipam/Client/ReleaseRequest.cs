namespace Tabby.Ipam.Client;

/// <summary>One address to release, optionally only if it is still the allocation the caller knows.</summary>
/// <param name="Address">The address.</param>
/// <param name="HandleId">When set, release only if this handle holds it.</param>
/// <param name="SequenceNumber">When set, release only if the allocation's sequence number is this one (it was not released and reused since).</param>
public sealed record ReleaseRequest(string Address, string? HandleId = null, ulong? SequenceNumber = null);
