namespace Tabby.Ipam.Client;

/// <summary>The revisions of the keys a context's settings, node labels and pools came from (0: the key was absent).</summary>
/// <param name="Config">The settings key's revision.</param>
/// <param name="NodeKey">The host's Node key, or null when the context has no host.</param>
/// <param name="Node">That key's revision.</param>
/// <param name="Pools">Pool name to its key and revision.</param>
internal sealed record ContextVersions(long Config, string? NodeKey, long Node, IReadOnlyDictionary<string, (string Key, long ModRevision)> Pools);
