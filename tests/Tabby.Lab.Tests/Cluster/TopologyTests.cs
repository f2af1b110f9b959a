using Tabby.Lab.Cluster;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>Hosts that route to each other over BGP, in each topology the lab builds.</summary>
public sealed class TopologyTests
{
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_four_host_mesh_reaches_every_workload_with_one_route_per_other_hosts_block()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 4, WorkloadsPerHost = 1, Purpose = "mesh" });
        await LabAssert.AllReachAsync(lab, s_converge);
        foreach (var host in lab.Hosts)
        {
            var others = await LabAssert.BlocksOfOthersAsync(lab, host);
            Assert.Equal(others.Order(), LabAssert.Learned(host).Select(r => r.Destination).Order());
            var status = await host.Agent.StatusAsync();
            Assert.Equal(3, status.Peers.Count(p => p.State == "up" && p.Type == "node-to-node mesh"));
        }
    }

    [Fact]
    public async Task Six_hosts_behind_two_route_reflectors_reach_each_other_and_clients_peer_only_with_the_reflectors()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 6, WorkloadsPerHost = 1, Topology = ClusterTopology.Reflector, Purpose = "rr" });
        await LabAssert.AllReachAsync(lab, s_converge);
        var client = await lab.Host("host4").Agent.StatusAsync();
        Assert.Equal(["192.168.0.2", "192.168.0.3"], client.Peers.Select(p => p.Address).Order());
        Assert.All(client.Peers, p => Assert.Equal("route reflector", p.Type));
        var reflector = await lab.Host("host0").Agent.StatusAsync();
        Assert.Equal(5, reflector.Peers.Count);
        Assert.Equal(4, reflector.Peers.Count(p => p.Type == "reflector client"));
        Assert.Equal(5, LabAssert.Learned(lab.Host("host5")).Count);
    }

    [Theory]
    [InlineData(TorDesign.AsPerRack, TorRouter.Frr)]
    [InlineData(TorDesign.AsPerRack, TorRouter.Bird)]
    [InlineData(TorDesign.AsPerServer, TorRouter.Frr)]
    [InlineData(TorDesign.AsPerServer, TorRouter.Bird)]
    public async Task Racks_behind_top_of_rack_routers_reach_each_other_with_every_block_in_each_hosts_table(TorDesign design, TorRouter router)
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec
        {
            Hosts = 4, WorkloadsPerHost = 1, Topology = ClusterTopology.Tor, Design = design, Router = router, Racks = 2, Purpose = "tor",
        });
        await LabAssert.AllReachAsync(lab, s_converge);
        foreach (var host in lab.Hosts)
        {
            var others = await LabAssert.BlocksOfOthersAsync(lab, host);
            await LabAssert.WaitAsync(() => Task.FromResult(others.All(b => LabAssert.Learned(host).Any(r => r.Destination == b))), s_converge, $"{host.Name} to learn every other block", lab);
            var status = await host.Agent.StatusAsync();
            var tor = Assert.Single(status.Peers);
            Assert.Equal(("up", "node specific"), (tor.State, tor.Type));
        }

        // A reply across racks passes its host, its top-of-rack router, the spine, the other router and our host: TTL 59.
        var from = lab.Workloads.First(w => w.Host.Name == "host0");
        var to = lab.Workloads.First(w => w.Host.Name == "host3");
        Assert.Equal(59, Probes.Ping.Once(from.Namespace, to.Address).Ttl);
    }

    [Theory]
    [InlineData(TorRouter.Frr)]
    [InlineData(TorRouter.Bird)]
    public async Task With_a_downward_default_hosts_learn_no_other_block_yet_reach_every_workload(TorRouter router)
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec
        {
            Hosts = 4, WorkloadsPerHost = 1, Topology = ClusterTopology.Tor, Design = TorDesign.DownwardDefault, Router = router, Racks = 2, Purpose = "dd",
        });
        await LabAssert.AllReachAsync(lab, s_converge);
        foreach (var host in lab.Hosts)
        {
            // The only route a host hears is the default (the underlay's static default already holds that slot);
            // the underlay reaches everything by itself, so wait for the router's announcement rather than assume it.
            await LabAssert.WaitAsync(async () => (await host.Agent.StatusAsync()).Peers is [{ State: "up", RoutesReceived: 1 }], s_converge, $"{host.Name} to hear the default", lab);
            Assert.Empty(LabAssert.Learned(host));
        }
    }
}
