using System.Net;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;

namespace Tabby.Bench.Bgp;

/// <summary>Starts the device under test: Tabby, BIRD, FRR or GoBGP as a route reflector whose clients connect to it.</summary>
internal static class Devices
{
    public const uint As = 65000;

    /// <param name="routed">The clients are behind a router, not on the device's segment.</param>
    public static IBgpDaemon Start(string kind, SegmentMember host, IReadOnlyList<IPAddress> clients, string dir, bool routed = false)
    {
        var spec = new BgpRouterSpec(host.Address, As, host.Address)
        {
            Neighbors = clients.Select(c => new BgpNeighborSpec(c, As) { RouteReflectorClient = true, Passive = true, Multihop = routed }).ToList(),
        };
        return kind switch
        {
            "tabby" => TabbyDaemon.Start(host.Namespace, spec, dir),
            "bird" => BirdDaemon.Start(host.Namespace, spec, dir),
            "frr" => FrrDaemon.Start(host.Namespace, spec, dir),
            "gobgp" => GobgpDaemon.Start(host.Namespace, spec, dir),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "tabby, bird, frr or gobgp"),
        };
    }
}
