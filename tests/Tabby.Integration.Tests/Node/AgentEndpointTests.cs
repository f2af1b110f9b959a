using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Node;

/// <summary>A real `tabby node run` programming a host namespace from a real datastore.</summary>
public sealed class AgentEndpointTests
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_agent_registers_its_node_with_the_detected_address_and_creates_the_default_pool()
    {
        await using var bed = AgentBed.Create("agent");
        var agent = bed.StartAgent(defaultPool: "10.20.0.0/16");
        await agent.WaitReadyAsync(s_ready);

        var node = await bed.Resources.GetAsync<Tabby.Api.Resources.Node>("host0");
        Assert.Equal("192.168.0.2/24", node!.Spec.Bgp!.Ipv4Address);
        var pool = await bed.Resources.GetAsync<IPPool>("default-ipv4-ippool");
        Assert.Equal("10.20.0.0/16", pool!.Spec.Cidr);
        Assert.Equal("Never", pool.Spec.IpipMode);
        Assert.Equal("host0", File.ReadAllText(agent.NodenameFile));
    }

    [Fact]
    public async Task A_local_endpoint_gets_proxy_arp_forwarding_and_a_scope_link_route_and_its_workload_reaches_the_host()
    {
        await using var bed = AgentBed.Create("agent");
        var a = bed.Workload("wa", "10.20.1.2");
        var b = bed.Workload("wb", "10.20.1.3");
        await bed.EndpointAsync(a);
        await bed.EndpointAsync(b);
        var agent = bed.StartAgent();
        await agent.WaitReadyAsync(s_ready);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 2, TimeSpan.FromSeconds(5), "two workload routes");

        var route = bed.OwnRoutes().Single(r => r.Destination == IpPrefix.Parse("10.20.1.2/32"));
        Assert.Equal(RouteScope.Link, route.Scope);
        Assert.Equal(bed.Host.Netlink.Links.GetRequired(a.HostInterface).Index, route.InterfaceIndex);
        Assert.Equal("1", bed.Sysctl($"net/ipv4/conf/{a.HostInterface}/proxy_arp"));
        Assert.Equal("0", bed.Sysctl($"net/ipv4/neigh/{a.HostInterface}/proxy_delay"));
        Assert.Equal("1", bed.Sysctl($"net/ipv4/conf/{a.HostInterface}/forwarding"));
        Assert.Equal("1", bed.Sysctl("net/ipv4/ip_forward"));

        var toHost = Ping.Once(a.Namespace, IPAddress.Parse("192.168.0.2"));
        Assert.True(toHost.Success, toHost.Output);
        var toNeighbour = Ping.Once(a.Namespace, b.Address);
        Assert.True(toNeighbour.Success, toNeighbour.Output);
        Assert.Equal(63, toNeighbour.Ttl);

        var status = await agent.StatusAsync();
        Assert.Equal("InSync", status.SyncState);
        Assert.Equal(2, status.Endpoints.Count(e => e.Programmed));
    }

    [Fact]
    public async Task A_cali_interface_without_an_endpoint_forwards_nothing_until_one_appears()
    {
        await using var bed = AgentBed.Create("agent");
        var w = bed.Workload("wc", "10.20.1.4");
        var agent = bed.StartAgent();
        await agent.WaitReadyAsync(s_ready);
        await bed.WaitForAsync(() => bed.Sysctl($"net/ipv4/conf/{w.HostInterface}/forwarding") == "0", TimeSpan.FromSeconds(5), "the unknown interface closed");
        Assert.Equal("0", bed.Sysctl($"net/ipv4/conf/{w.HostInterface}/proxy_arp"));
        Assert.False(Ping.Once(w.Namespace, IPAddress.Parse("192.168.0.2"), TimeSpan.FromSeconds(1)).Success);

        await bed.EndpointAsync(w);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 1, TimeSpan.FromSeconds(5), "the endpoint's route");
        var open = Ping.Once(w.Namespace, IPAddress.Parse("192.168.0.2"));
        Assert.True(open.Success, open.Output);

        await bed.DeleteEndpointAsync(w);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 0, TimeSpan.FromSeconds(5), "the route gone with the endpoint");
        Assert.Equal("0", bed.Sysctl($"net/ipv4/conf/{w.HostInterface}/forwarding"));
        Assert.Equal("0", bed.Sysctl($"net/ipv4/conf/{w.HostInterface}/proxy_arp"));
    }

    [Fact]
    public async Task A_route_or_setting_changed_behind_the_agents_back_is_put_back()
    {
        await using var bed = AgentBed.Create("agent");
        var w = bed.Workload("wd", "10.20.1.5");
        await bed.EndpointAsync(w);
        var agent = bed.StartAgent(resync: TimeSpan.FromSeconds(1));
        await agent.WaitReadyAsync(s_ready);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 1, TimeSpan.FromSeconds(5), "the route");

        var route = bed.OwnRoutes().Single();
        // The delete succeeding is the proof the route was gone: the agent hears the kernel's event and may put
        // it back before the next line could look, so the empty table is not asserted.
        bed.Host.Netlink.Routes.Delete(route);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 1, TimeSpan.FromSeconds(1), "the deleted route restored");

        // A setting changed behind its back is put right by the periodic resync.
        new Tabby.Linux.Sysctls.Sysctl(bed.Host.Namespace).Write($"net/ipv4/conf/{w.HostInterface}/proxy_arp", "0");
        await bed.WaitForAsync(() => bed.Sysctl($"net/ipv4/conf/{w.HostInterface}/proxy_arp") == "1", TimeSpan.FromSeconds(3), "proxy_arp restored by the resync");
    }

    [Fact]
    public async Task On_start_the_agent_sweeps_only_its_own_stale_routes_and_only_once_in_sync()
    {
        await using var bed = AgentBed.Create("agent");
        var w = bed.Workload("we", "10.20.1.6");
        await bed.EndpointAsync(w);
        var stale = Route.Blackhole(IpPrefix.Parse("10.99.0.0/24"));
        var foreign = Route.Blackhole(IpPrefix.Parse("10.98.0.0/24")) with { Protocol = RouteProtocol.Static };
        bed.Host.Netlink.Routes.AddMany([stale, foreign]);

        var agent = bed.StartAgent();
        await agent.WaitReadyAsync(s_ready);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 1, TimeSpan.FromSeconds(5), "the sweep");
        Assert.Equal(IpPrefix.Parse("10.20.1.6/32"), bed.OwnRoutes().Single().Destination);
        Assert.Contains(bed.Host.Netlink.Routes.List(RouteFilter.MainTable), r => r.Destination == foreign.Destination);
    }

    [Fact]
    public async Task A_block_this_host_claims_gets_a_blackhole_which_goes_when_the_block_is_released()
    {
        await using var bed = AgentBed.Create("agent");
        await bed.Resources.CreateAsync(new IPPool { Metadata = { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.20.0.0/16", BlockSize = 26 } });
        var agent = bed.StartAgent();
        await agent.WaitReadyAsync(s_ready);

        var ipam = new IpamClient(bed.Store);
        var got = (await ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host0", Num4 = 1, HandleId = "net.x" })).IPv4[0];
        await bed.WaitForAsync(() => bed.OwnRoutes().Any(r => r.Destination == got.Block && r.Type == RouteType.Blackhole), TimeSpan.FromSeconds(5), "the block's blackhole");

        await ipam.ReleaseByHandleAsync("net.x");
        await ipam.ReleaseAffinityAsync("host0", got.Block, requireEmpty: true);
        await bed.WaitForAsync(() => bed.OwnRoutes().All(r => r.Destination != got.Block), TimeSpan.FromSeconds(5), "the blackhole removed");
    }

    [Fact]
    public async Task A_stopped_agent_leaves_its_routes_and_a_restarted_one_keeps_them_without_a_gap()
    {
        await using var bed = AgentBed.Create("agent");
        var w = bed.Workload("wf", "10.20.1.7");
        await bed.EndpointAsync(w);
        var first = bed.StartAgent();
        await first.WaitReadyAsync(s_ready);
        await bed.WaitForAsync(() => bed.OwnRoutes().Count == 1, TimeSpan.FromSeconds(5), "the route");

        first.Kill();
        Assert.Single(bed.OwnRoutes());
        Assert.True(Ping.Once(w.Namespace, IPAddress.Parse("192.168.0.2")).Success);

        using var events = Tabby.Linux.Netlink.Events.NetlinkEventSubscription.Subscribe(bed.Host.Namespace, Tabby.Linux.Netlink.Events.NetlinkEventKinds.Routes);
        var second = bed.StartAgent();
        await second.WaitReadyAsync(s_ready);
        Assert.Single(bed.OwnRoutes());
        // The restart deleted nothing: no route of ours was removed, even for a moment.
        while (events.Events.TryRead(out var e))
            Assert.False(e is Tabby.Linux.Netlink.Events.RouteEvent { Removed: true, Route.Protocol: RouteProtocol.Tabby }, $"route removed on restart: {e}");
    }
}
