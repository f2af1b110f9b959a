using Tabby.Core.Addressing;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>What one request reads before it allocates, as of one datastore revision: settings, pools, reservations, and the host's labels and affinities.</summary>
/// <param name="Revision">Everything here is the state at this revision (see <see cref="ContextCache"/>).</param>
/// <param name="Host">The host the labels and affinities are of, or null for requests that need neither.</param>
internal sealed record IpamContext(
    long Revision,
    string? Host,
    IpamConfig Config,
    PoolSet Pools,
    ReservationSet Reservations,
    IReadOnlyDictionary<string, string>? NodeLabels,
    IReadOnlyList<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> HostAffinities)
{
    /// <summary>The host's affinities of one family, in key order.</summary>
    public List<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> AffinitiesOf(bool isV6) =>
        [.. HostAffinities.Where(a => a.Cidr.IsIPv6 == isV6)];
}
