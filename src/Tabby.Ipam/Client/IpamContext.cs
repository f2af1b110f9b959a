using Tabby.Core.Addressing;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>What one request reads before it allocates: settings, pools, reservations, and the host's labels and affinities.</summary>
/// <param name="Revision">Everything here is the state at this revision, or 0 when it is not all of one revision (see <see cref="ContextCache"/>).</param>
/// <param name="Host">The host the labels and affinities are of, or null for requests that need neither.</param>
/// <param name="Versions">The revision each settings, pool and node key had when read (0: absent), for the commit's guards.</param>
internal sealed record IpamContext(
    long Revision,
    string? Host,
    IpamConfig Config,
    PoolSet Pools,
    ReservationSet Reservations,
    IReadOnlyDictionary<string, string>? NodeLabels,
    IReadOnlyList<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> HostAffinities,
    ContextVersions Versions)
{
    /// <summary>The host's affinities of one family, in key order.</summary>
    /// <summary>True when the settings, pools and node labels are an earlier read's (reservations and affinities are not).</summary>
    public bool Settled { get; init; }

    public List<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> AffinitiesOf(bool isV6) =>
        [.. HostAffinities.Where(a => a.Cidr.IsIPv6 == isV6)];

    /// <summary>The keys an allocation from <paramref name="block"/> relied on, as read: the settings, the host's node and the block's pool.</summary>
    /// <remarks>A commit guarded by them fails when any changed since, so an allocation never goes through on settings,
    /// labels or a pool that are no longer so (see <see cref="ContextChangedException"/>).</remarks>
    public IEnumerable<(string Key, long ModRevision)> KeysFor(IpPrefix block)
    {
        yield return (IpamKeys.Config, Versions.Config);
        if (Versions.NodeKey is { } node)
            yield return (node, Versions.Node);
        if (Pools.All.FirstOrDefault(p => p.Cidr.Contains(block) || block.Contains(p.Cidr)) is { } pool && Versions.Pools.TryGetValue(pool.Name, out var stored))
            yield return stored;
    }
}
