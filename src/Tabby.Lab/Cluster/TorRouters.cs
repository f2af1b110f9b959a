using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;

namespace Tabby.Lab.Cluster;

/// <summary>Starts the top-of-rack and spine routers of a leaf-and-spine lab as real FRR or BIRD daemons.</summary>
internal static class TorRouters
{
    public static List<IBgpDaemon> Start(TorFabric fabric, ClusterSpec spec, IReadOnlyList<LabHost> hosts, string workDirectory)
    {
        var daemons = new List<IBgpDaemon>();
        try
        {
            foreach (var rack in fabric.Racks)
            {
                var neighbors = rack.Hosts.Select(host => new BgpNeighborSpec(host.Address, spec.Design switch
                {
                    TorDesign.AsPerRack => TopologyResources.RackAs(rack.Index),
                    TorDesign.AsPerServer => TopologyResources.ServerAs(hosts.ToList().IndexOf(host)),
                    _ => TopologyResources.HostAs,
                })
                {
                    // As-per-rack: the router is its hosts' reflector, and gives routes from other racks its own next hop.
                    RouteReflectorClient = spec.Design == TorDesign.AsPerRack,
                    NextHopSelf = spec.Design == TorDesign.AsPerRack && spec.TorNextHopSelf,
                    DefaultOnly = spec.Design == TorDesign.DownwardDefault,
                }).ToList();
                neighbors.Add(new BgpNeighborSpec(rack.SpineSide, TopologyResources.SpineAs));
                daemons.Add(Start(spec.Router, rack.Namespace, new BgpRouterSpec(rack.Uplink, TopologyResources.RackAs(rack.Index), IPAddress.Any)
                {
                    Neighbors = neighbors,
                    // The hosts' segment, so the spine and the other racks can reach the hosts themselves.
                    Originate = [rack.Segment],
                    InstallRoutes = true,
                }, Path.Combine(workDirectory, $"tor{rack.Index}")));
            }

            daemons.Add(Start(spec.Router, fabric.Spine, new BgpRouterSpec(IPAddress.Parse("172.16.255.1"), TopologyResources.SpineAs, IPAddress.Any)
            {
                Neighbors = [.. fabric.Racks.Select(r => new BgpNeighborSpec(r.Uplink, TopologyResources.RackAs(r.Index)))],
                InstallRoutes = true,
            }, Path.Combine(workDirectory, "spine")));
            return daemons;
        }
        catch
        {
            foreach (var daemon in daemons)
                daemon.Dispose();
            throw;
        }
    }

    private static IBgpDaemon Start(TorRouter router, Linux.Netns.NetworkNamespace ns, BgpRouterSpec spec, string directory) => router == TorRouter.Bird
        ? BirdDaemon.Start(ns, spec, directory)
        : FrrDaemon.Start(ns, spec, directory);
}
