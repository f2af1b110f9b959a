using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Node.Calc;

namespace Tabby.Node.Tests.Calc;

public sealed class OverlayResolverTests
{
    private static Api.Resources.Node N(string name, string address, string? tunnel = null, string? mac = null) => new()
    {
        Metadata = { Name = name },
        Spec = new NodeSpec { Bgp = new NodeBgpSpec { Ipv4Address = address }, Ipv4VxlanTunnelAddr = tunnel, VxlanTunnelMacAddr = mac },
    };

    private static IPPool Pool(string name, string cidr, string vxlan = "Never", string ipip = "Never") => new()
    {
        Metadata = { Name = name },
        Spec = new IPPoolSpec { Cidr = cidr, VxlanMode = vxlan, IpipMode = ipip },
    };

    /// <summary>a (me) and b in 192.168.0.0/24, c in 192.168.1.0/24; every node owns one block of 10.20.0.0/16.</summary>
    private static OverlayResolver Cluster(string mode, bool meHasVtep = true, bool bHasVtep = true)
    {
        var resolver = new OverlayResolver("a");
        resolver.OnNode("a", N("a", "192.168.0.2/24", meHasVtep ? "10.20.1.0" : null, meHasVtep ? "66:00:00:00:00:0a" : null));
        resolver.OnNode("b", N("b", "192.168.0.3/24", bHasVtep ? "10.20.2.0" : null, bHasVtep ? "66:00:00:00:00:0b" : null));
        resolver.OnNode("c", N("c", "192.168.1.4/24", "10.20.3.0", "66:00:00:00:00:0c"));
        resolver.OnPool("pool", Pool("pool", "10.20.0.0/16", vxlan: mode));
        resolver.OnAffinity("a", IpPrefix.Parse("10.20.1.0/26"), confirmed: true);
        resolver.OnAffinity("b", IpPrefix.Parse("10.20.2.0/26"), confirmed: true);
        resolver.OnAffinity("c", IpPrefix.Parse("10.20.3.0/26"), confirmed: true);
        return resolver;
    }

    [Fact]
    public void Without_a_VXLAN_pool_there_is_no_overlay()
    {
        var plan = Cluster("Never").Resolve();
        Assert.False(plan.VxlanWanted);
        Assert.Null(plan.Vtep);
        Assert.Empty(plan.Remotes);
        Assert.Empty(plan.Routes);
        Assert.Equal(OverlayPlan.None.Fingerprint(), plan.Fingerprint());
    }

    [Fact]
    public void Always_gives_every_other_node_an_FDB_and_neighbour_entry_and_routes_its_blocks_through_its_VTEP()
    {
        var plan = Cluster("Always").Resolve();
        Assert.True(plan.VxlanWanted);
        Assert.Equal(new LocalVtep(IPAddress.Parse("192.168.0.2"), IPAddress.Parse("10.20.1.0"), MacAddress.Parse("66:00:00:00:00:0a")), plan.Vtep);
        Assert.Equal(
            [new RemoteVtep("b", IPAddress.Parse("192.168.0.3"), IPAddress.Parse("10.20.2.0"), MacAddress.Parse("66:00:00:00:00:0b")),
             new RemoteVtep("c", IPAddress.Parse("192.168.1.4"), IPAddress.Parse("10.20.3.0"), MacAddress.Parse("66:00:00:00:00:0c"))],
            plan.Remotes);
        // This node's own block is not routed anywhere (it has its blackhole and workload routes).
        Assert.Equal(["10.20.2.0/26 via 10.20.2.0 dev vxlan.calico onlink", "10.20.3.0/26 via 10.20.3.0 dev vxlan.calico onlink"], plan.Routes.Select(r => r.ToString()));
    }

    [Fact]
    public void CrossSubnet_routes_same_subnet_nodes_directly_and_only_other_subnets_through_the_tunnel()
    {
        var plan = Cluster("CrossSubnet").Resolve();
        Assert.Equal([new OverlayRoute(IpPrefix.Parse("10.20.2.0/26"), IPAddress.Parse("192.168.0.3"), Tunnel: false),
                      new OverlayRoute(IpPrefix.Parse("10.20.3.0/26"), IPAddress.Parse("10.20.3.0"), Tunnel: true)], plan.Routes);
        Assert.Equal(2, plan.Remotes.Count);
    }

    [Fact]
    public void A_node_without_a_VTEP_yet_gets_no_tunnel_route_and_a_node_without_its_own_gets_none_at_all()
    {
        var remoteWaiting = Cluster("Always", bHasVtep: false).Resolve();
        Assert.Equal(["c"], remoteWaiting.Remotes.Select(r => r.Node));
        Assert.Equal([IpPrefix.Parse("10.20.3.0/26")], remoteWaiting.Routes.Select(r => r.Destination));

        var meWaiting = Cluster("Always", meHasVtep: false).Resolve();
        Assert.True(meWaiting.VxlanWanted);
        Assert.Null(meWaiting.Vtep);
        Assert.Empty(meWaiting.Remotes);
        Assert.Empty(meWaiting.Routes);

        // CrossSubnet's same-subnet routes need no device, so they come even before this node has one.
        var crossWaiting = Cluster("CrossSubnet", meHasVtep: false).Resolve();
        Assert.Equal([new OverlayRoute(IpPrefix.Parse("10.20.2.0/26"), IPAddress.Parse("192.168.0.3"), Tunnel: false)], crossWaiting.Routes);
    }

    [Fact]
    public void Blocks_outside_VXLAN_pools_and_unconfirmed_or_released_affinities_are_not_routed()
    {
        var resolver = Cluster("Always");
        resolver.OnPool("plain", Pool("plain", "10.30.0.0/16"));
        resolver.OnAffinity("b", IpPrefix.Parse("10.30.2.0/26"), confirmed: true);
        resolver.OnAffinity("c", IpPrefix.Parse("10.20.3.0/26"), confirmed: false);
        resolver.OnAffinity("b", IpPrefix.Parse("10.20.9.0/26"), confirmed: false);
        Assert.Equal([IpPrefix.Parse("10.20.2.0/26")], resolver.Resolve().Routes.Select(r => r.Destination));
    }

    [Fact]
    public void A_block_moving_to_another_node_follows_it_and_a_stale_release_from_the_old_owner_does_not_drop_it()
    {
        var resolver = Cluster("Always");
        resolver.OnAffinity("c", IpPrefix.Parse("10.20.2.0/26"), confirmed: true);
        resolver.OnAffinity("b", IpPrefix.Parse("10.20.2.0/26"), confirmed: false);
        var route = resolver.Resolve().Routes.Single(r => r.Destination == IpPrefix.Parse("10.20.2.0/26"));
        Assert.Equal(IPAddress.Parse("10.20.3.0"), route.Gateway);
    }

    [Fact]
    public void Switching_the_pool_mode_changes_the_plan_and_back_restores_it()
    {
        var resolver = Cluster("Never");
        var before = resolver.Resolve().Fingerprint();
        resolver.OnPool("pool", Pool("pool", "10.20.0.0/16", vxlan: "Always"));
        Assert.True(resolver.Dirty);
        Assert.Equal(2, resolver.Resolve().Routes.Count);
        resolver.OnPool("pool", Pool("pool", "10.20.0.0/16"));
        Assert.Equal(before, resolver.Resolve().Fingerprint());
    }

    [Fact]
    public void IPIP_pools_are_named_with_their_CIDRs_so_nothing_inside_them_is_programmed()
    {
        var resolver = Cluster("Never");
        resolver.OnPool("tunnelled", Pool("tunnelled", "10.40.0.0/16", ipip: "Always"));
        var plan = resolver.Resolve();
        Assert.Equal(["tunnelled"], plan.IpipPools);
        Assert.Equal([IpPrefix.Parse("10.40.0.0/16")], plan.IpipCidrs);
        Assert.NotEqual(OverlayPlan.None.Fingerprint(), plan.Fingerprint());
    }

    [Theory]
    [InlineData("fd00::3/64")]
    [InlineData("192.168.0.3/33")]
    [InlineData("192.168.3")]
    public void A_node_whose_IPv4_address_cannot_be_used_is_left_out_and_reported_as_BGP_does(string address)
    {
        var resolver = Cluster("Always");
        resolver.OnNode("b", N("b", address, "10.20.2.0", "66:00:00:00:00:0b"));

        var plan = resolver.Resolve();

        Assert.DoesNotContain(plan.Remotes, r => r.Node == "b");
        Assert.Equal([$"node b: spec.bgp.ipv4Address '{address}' is not an IPv4 address with an optional /prefix length"], resolver.DrainProblems());
    }

    [Fact]
    public void An_address_without_a_prefix_length_is_used()
    {
        var resolver = Cluster("Always");
        resolver.OnNode("b", N("b", "192.168.0.3", "10.20.2.0", "66:00:00:00:00:0b"));

        Assert.Contains(resolver.Resolve().Remotes, r => r.Node == "b" && r.Underlay.Equals(IPAddress.Parse("192.168.0.3")));
        Assert.Empty(resolver.DrainProblems());
    }

    [Fact]
    public void Bad_addresses_on_a_node_are_reported_and_the_node_is_left_out()
    {
        var resolver = Cluster("Always");
        resolver.OnNode("b", N("b", "192.168.0.3/24", "not-an-ip", "66:00:00:00:00:0b"));
        var plan = resolver.Resolve();
        Assert.DoesNotContain(plan.Remotes, r => r.Node == "b");
        Assert.Single(resolver.DrainProblems());
    }
}
