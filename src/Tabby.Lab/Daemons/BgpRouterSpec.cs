using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Daemons;

/// <summary>What a reference BGP daemon (BIRD, FRR, GoBGP) is configured with in a lab.</summary>
public sealed record BgpRouterSpec(IPAddress RouterId, uint As, IPAddress ListenAddress)
{
    public IReadOnlyList<BgpNeighborSpec> Neighbors { get; init; } = [];

    /// <summary>Prefixes the daemon originates itself.</summary>
    public IReadOnlyList<IpPrefix> Originate { get; init; } = [];

    /// <summary>Cluster ID when acting as a route reflector (defaults to the router ID).</summary>
    public IPAddress? ClusterId { get; init; }

    /// <summary>Communities ("65001:100") attached to originated routes; BIRD only.</summary>
    public IReadOnlyList<string> OriginateCommunities { get; init; } = [];

    /// <summary>Large communities ("65001:1:2") attached to originated routes; BIRD only.</summary>
    public IReadOnlyList<string> OriginateLargeCommunities { get; init; } = [];

    public int Port { get; init; } = 179;

    /// <summary>Tabby only: serve Prometheus metrics on this port of <see cref="ListenAddress"/>.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>BIRD only: configuration text appended as is (a benchmark's disabled static protocol, say).</summary>
    public string? ExtraConfig { get; init; }

    /// <summary>Install learned routes into the namespace's kernel FIB.</summary>
    public bool InstallRoutes { get; init; }
}
