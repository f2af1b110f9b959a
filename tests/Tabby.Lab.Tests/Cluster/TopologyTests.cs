using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Linux.Netlink;
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
            // Every session that brought a route must still be up: one that went down after its routes arrived (kept
            // as stale by graceful restart) is a reset worth seeing, so the message says which and why.
            var up = status.Peers.Count(p => p.State == "up" && p.Type == "node-to-node mesh");
            Assert.True(up == 3, $"{host.Name}: {up} of 3 mesh sessions up: " + string.Join("; ", status.Peers.Select(p => $"{p.Address} {p.Type} {p.State} since {p.Since:HH:mm:ss.fff} ({p.Info})")));
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
    public async Task Blocks_reflected_with_a_next_hop_in_another_subnet_are_installed_via_the_gateway_that_reaches_it(TorRouter router)
    {
        // Without next-hop-self the top-of-rack router passes other racks' blocks on with the spine's address as next hop,
        // which no host can reach directly: the kernel refuses such a route unless it is resolved through the host's
        // default route (BIRD's gateway recursive, as Calico runs it).
        await using var lab = await LabCluster.StartAsync(new ClusterSpec
        {
            Hosts = 4, WorkloadsPerHost = 1, Topology = ClusterTopology.Tor, Design = TorDesign.AsPerRack, Router = router, Racks = 2,
            TorNextHopSelf = false, Purpose = "nhr",
        });
        await LabAssert.AllReachAsync(lab, s_converge);
        var host0 = lab.Host("host0");
        var rackMate = (await lab.Host("host1").Agent.StatusAsync()).Blocks.Select(IpPrefix.Parse).ToList();
        var otherRack = new List<IpPrefix>();
        foreach (var name in new[] { "host2", "host3" })
            otherRack.AddRange((await lab.Host(name).Agent.StatusAsync()).Blocks.Select(IpPrefix.Parse));
        IPAddress tor;
        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
            tor = netlink.Routes.List().Single(r => r.Destination == IpPrefix.Parse("0.0.0.0/0")).Gateway!;

        await LabAssert.WaitAsync(
            () => Task.FromResult(otherRack.All(b => LabAssert.Learned(host0).Any(r => r.Destination == b && tor.Equals(r.Gateway)))),
            s_converge, "host0 to install the other rack's blocks via its top-of-rack router", lab);
        // A rack-mate's own address is on the segment: its blocks stay via it.
        Assert.All(rackMate, b => Assert.Equal(lab.Host("host1").Address, LabAssert.Learned(host0).Single(r => r.Destination == b).Gateway));

        // A more specific route towards the spine appears (through the rack-mate, which forwards to the same router):
        // the agent follows the kernel's route events, not only its 30 s resync, so the blocks move to it at once.
        var mate = lab.Host("host1").Address;
        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
            netlink.Routes.Add(Route.Via(IpPrefix.Parse("172.16.0.0/16"), mate) with { Protocol = RouteProtocol.Static });
        await LabAssert.WaitAsync(
            () => Task.FromResult(otherRack.All(b => LabAssert.Learned(host0).Any(r => r.Destination == b && mate.Equals(r.Gateway)))),
            TimeSpan.FromSeconds(5), "host0 to move the other rack's blocks to the new, more specific way", lab);
        Assert.True(Probes.Ping.Once(lab.Workloads.First(w => w.Host == host0).Namespace, lab.Workloads.First(w => w.Host.Name == "host3").Address).Success);
    }

    [Fact]
    public async Task Blocks_whose_next_hop_can_no_longer_be_reached_show_as_unresolved_in_status_until_it_can_again()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec
        {
            Hosts = 4, WorkloadsPerHost = 1, Topology = ClusterTopology.Tor, Design = TorDesign.AsPerRack, Router = TorRouter.Bird, Racks = 2,
            TorNextHopSelf = false, Purpose = "unr",
        });
        await LabAssert.AllReachAsync(lab, s_converge);
        var host0 = lab.Host("host0");
        var otherRack = new List<string>();
        foreach (var name in new[] { "host2", "host3" })
            otherRack.AddRange((await lab.Host(name).Agent.StatusAsync()).Blocks);
        Route @default;
        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
            @default = netlink.Routes.List().Single(r => r.Destination == IpPrefix.Parse("0.0.0.0/0"));
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).Routes.Count(r => otherRack.Contains(r.Destination) && r.Kind == "bgp") == otherRack.Count,
            s_converge, "host0 to install the other rack's blocks", lab);
        var logFrom = host0.Agent.LogLength;

        // The spine, the other rack's next hop, is reached only through the default route.
        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
            netlink.Routes.Delete(@default);
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).RoutesUnresolved == otherRack.Count,
            TimeSpan.FromSeconds(10), "host0 to report the other rack's blocks unresolved", lab);
        var status = await host0.Agent.StatusAsync();
        Assert.Equal(otherRack.Order(), status.Routes.Where(r => r.Kind == "unresolved").Select(r => r.Destination).Order());
        // The kernel refused to replace the routes it had through the top-of-rack router, so it keeps them, and says so.
        Assert.All(status.Routes.Where(r => r.Kind == "unresolved"), r => Assert.EndsWith(
            $"(not installed: no route to the next hop; the kernel keeps the earlier route via {@default.Gateway})", r.Target, StringComparison.Ordinal));
        var log = host0.Agent.LogSince(logFrom);
        Assert.All(otherRack, b => Assert.Contains($"learned route {b} via", log, StringComparison.Ordinal));
        Assert.Contains("not programmed, the kernel refused it: Network is unreachable (ENETUNREACH)", log, StringComparison.Ordinal);

        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
            netlink.Routes.Add(@default);
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()) is { RoutesUnresolved: 0 } back
                && back.Routes.Count(r => otherRack.Contains(r.Destination) && r.Kind == "bgp") == otherRack.Count,
            TimeSpan.FromSeconds(10), "host0 to install the other rack's blocks again", lab);
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
