using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Node.Calc;

namespace Tabby.Node.Tests.Calc;

public sealed class BgpConfigResolverTests
{
    private static Api.Resources.Node N(string name, string ip, uint? asn = null, string? cluster = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = { Name = name, Labels = labels },
        Spec = new NodeSpec { Bgp = new NodeBgpSpec { Ipv4Address = ip + "/24", AsNumber = asn is { } a ? new AsNumber(a) : null, RouteReflectorClusterId = cluster } },
    };

    private static BgpConfigResolver Cluster(string me, params Api.Resources.Node[] nodes)
    {
        var resolver = new BgpConfigResolver(me);
        foreach (var n in nodes)
            resolver.OnNode(n.Metadata.Name!, n);
        return resolver;
    }

    [Theory]
    [InlineData("fd00::3/64")]     // IPv6 in the IPv4 field
    [InlineData("192.168.0.3/33")] // no such prefix length
    [InlineData("192.168.3")]      // inet_aton's shorthand, which the API refuses
    public void A_node_whose_IPv4_address_cannot_be_used_is_left_out_and_reported_as_the_overlay_does(string address)
    {
        var other = N("b", "192.168.0.3");
        other.Spec.Bgp!.Ipv4Address = address;
        var resolver = Cluster("a", N("a", "192.168.0.2"), other, N("c", "192.168.0.4"));

        var plan = resolver.Resolve();

        Assert.Equal(["192.168.0.4"], plan.Peers.Select(p => p.Address.ToString()));
        Assert.Equal([$"node b: spec.bgp.ipv4Address '{address}' is not an IPv4 address with an optional /prefix length"], resolver.DrainProblems());
    }

    [Fact]
    public void This_nodes_own_unusable_address_disables_BGP_and_says_why()
    {
        var me = N("a", "192.168.0.2");
        me.Spec.Bgp!.Ipv4Address = "fd00::2/64";
        var resolver = Cluster("a", me, N("b", "192.168.0.3"));

        Assert.False(resolver.Resolve().Enabled);
        Assert.Single(resolver.DrainProblems());
    }

    [Fact]
    public void An_address_without_a_prefix_length_is_used()
    {
        var other = N("b", "192.168.0.3");
        other.Spec.Bgp!.Ipv4Address = "192.168.0.3";

        Assert.Equal(["192.168.0.3"], Cluster("a", N("a", "192.168.0.2"), other).Resolve().Peers.Select(p => p.Address.ToString()));
    }

    [Fact]
    public void By_default_every_node_peers_with_every_other_in_one_AS()
    {
        var plan = Cluster("a", N("a", "192.168.0.2"), N("b", "192.168.0.3"), N("c", "192.168.0.4")).Resolve();
        Assert.True(plan.Enabled);
        Assert.Equal(64512u, plan.LocalAs);
        Assert.Equal(IPAddress.Parse("192.168.0.2"), plan.RouterAddress);
        Assert.Equal(["192.168.0.3", "192.168.0.4"], plan.Peers.Select(p => p.Address.ToString()));
        Assert.All(plan.Peers, p => Assert.Equal(PeerType.Mesh, p.Type));
        Assert.All(plan.Peers, p => Assert.Equal(64512u, p.RemoteAs));
    }

    [Fact]
    public void Per_node_AS_numbers_and_the_global_default_apply()
    {
        var resolver = Cluster("a", N("a", "192.168.0.2", asn: 65001), N("b", "192.168.0.3"));
        resolver.OnConfiguration("default", new BGPConfiguration { Metadata = { Name = "default" }, Spec = new BGPConfigurationSpec { AsNumber = new AsNumber(65000), ListenPort = 1179 } });
        var plan = resolver.Resolve();
        Assert.Equal(65001u, plan.LocalAs);
        Assert.Equal(65000u, plan.Peers.Single().RemoteAs);
        Assert.Equal(1179, plan.ListenPort);
    }

    [Fact]
    public void Route_reflectors_by_selector_peer_both_ways_and_reflect_to_their_clients()
    {
        var rr = new Dictionary<string, string> { ["route-reflector"] = "true" };
        Api.Resources.Node[] nodes = [N("r1", "192.168.0.2", cluster: "1.0.0.1", labels: rr), N("r2", "192.168.0.3", cluster: "1.0.0.1", labels: rr), N("c1", "192.168.0.4"), N("c2", "192.168.0.5")];
        BgpConfigResolver Build(string me)
        {
            var resolver = Cluster(me, nodes);
            resolver.OnConfiguration("default", new BGPConfiguration { Metadata = { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMeshEnabled = false } });
            resolver.OnPeer("peer-with-rrs", new BGPPeer { Metadata = { Name = "peer-with-rrs" }, Spec = new BGPPeerSpec { NodeSelector = "all()", PeerSelector = "route-reflector == 'true'" } });
            return resolver;
        }

        var client = Build("c1").Resolve();
        Assert.Equal(["192.168.0.2", "192.168.0.3"], client.Peers.Select(p => p.Address.ToString()));
        Assert.All(client.Peers, p => Assert.Equal(PeerType.Reflector, p.Type));
        Assert.All(client.Peers, p => Assert.False(p.RouteReflectorClient));

        var reflector = Build("r1").Resolve();
        Assert.Equal(0x01000001u, reflector.ClusterId);
        Assert.Equal(["192.168.0.3", "192.168.0.4", "192.168.0.5"], reflector.Peers.Select(p => p.Address.ToString()));
        Assert.False(reflector.Peers.Single(p => p.PeerNode == "r2").RouteReflectorClient);
        Assert.True(reflector.Peers.Single(p => p.PeerNode == "c1").RouteReflectorClient);
    }

    [Fact]
    public void Explicit_peers_apply_globally_by_node_name_or_by_selector_and_win_over_the_mesh()
    {
        var resolver = Cluster("a", N("a", "192.168.0.2", labels: new() { ["rack"] = "r1" }), N("b", "192.168.0.3"));
        resolver.OnPeer("tor", new BGPPeer { Metadata = { Name = "tor" }, Spec = new BGPPeerSpec { NodeSelector = "rack == 'r1'", PeerIp = "192.168.0.254", AsNumber = new AsNumber(65100), KeepOriginalNextHop = true } });
        resolver.OnPeer("route-server", new BGPPeer { Metadata = { Name = "route-server" }, Spec = new BGPPeerSpec { PeerIp = "192.168.0.253:1179", AsNumber = new AsNumber(65200), MaxRestartTime = "2m" } });
        resolver.OnPeer("for-b", new BGPPeer { Metadata = { Name = "for-b" }, Spec = new BGPPeerSpec { Node = "b", PeerIp = "192.168.0.252", AsNumber = new AsNumber(65300) } });
        resolver.OnPeer("b-explicit", new BGPPeer { Metadata = { Name = "b-explicit" }, Spec = new BGPPeerSpec { PeerIp = "192.168.0.3", AsNumber = new AsNumber(64512) } });
        var plan = resolver.Resolve();

        var tor = plan.Peers.Single(p => p.Address.Equals(IPAddress.Parse("192.168.0.254")));
        Assert.Equal((65100u, PeerType.NodeSpecific, true), (tor.RemoteAs, tor.Type, tor.KeepOriginalNextHop));
        var server = plan.Peers.Single(p => p.Address.Equals(IPAddress.Parse("192.168.0.253")));
        Assert.Equal((1179, PeerType.Global, TimeSpan.FromMinutes(2)), (server.Port, server.Type, server.MaxRestartTime));
        Assert.DoesNotContain(plan.Peers, p => p.Address.Equals(IPAddress.Parse("192.168.0.252")));
        Assert.Equal("BGPPeer b-explicit", plan.Peers.Single(p => p.Address.Equals(IPAddress.Parse("192.168.0.3"))).Source);
    }

    [Fact]
    public void Owned_blocks_and_borrowed_addresses_are_announced_except_from_pools_that_disable_export()
    {
        var resolver = Cluster("a", N("a", "192.168.0.2"));
        resolver.OnPool("p", new IPPool { Metadata = { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.20.0.0/16" } });
        resolver.OnPool("quiet", new IPPool { Metadata = { Name = "quiet" }, Spec = new IPPoolSpec { Cidr = "10.30.0.0/16", DisableBgpExport = true } });
        resolver.OnBlock(IpPrefix.Parse("10.20.1.0/26"), owned: true);
        resolver.OnBlock(IpPrefix.Parse("10.30.1.0/26"), owned: true);
        resolver.OnEndpoint(new EndpointId("default", "own"), [IpPrefix.Parse("10.20.1.5/32")]);
        resolver.OnEndpoint(new EndpointId("default", "borrowed"), [IpPrefix.Parse("10.20.9.7/32")]);
        resolver.OnEndpoint(new EndpointId("default", "outside"), [IpPrefix.Parse("172.16.0.1/32")]);

        var plan = resolver.Resolve();
        Assert.Equal(["10.20.1.0/26", "10.20.9.7/32"], plan.Exports.Select(p => p.ToString()));
        Assert.Equal(["10.20.0.0/16", "10.30.0.0/16"], plan.ImportPools.Select(p => p.ToString()));
    }

    [Fact]
    public void A_node_without_a_BGP_address_runs_no_BGP_and_bad_peers_are_reported()
    {
        var resolver = new BgpConfigResolver("a");
        resolver.OnNode("a", new Api.Resources.Node { Metadata = { Name = "a" } });
        Assert.False(resolver.Resolve().Enabled);

        resolver.OnNode("a", N("a", "192.168.0.2"));
        resolver.OnPeer("bad", new BGPPeer { Metadata = { Name = "bad" }, Spec = new BGPPeerSpec { PeerIp = "not-an-ip", AsNumber = new AsNumber(1) } });
        Assert.True(resolver.Resolve().Enabled);
        Assert.Contains("BGPPeer bad", Assert.Single(resolver.DrainProblems()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_peers_BGPFilters_are_compiled_in_its_order_and_a_changed_filter_changes_only_the_peers_naming_it()
    {
        var resolver = Cluster("a", N("a", "192.168.0.2"));
        resolver.OnPeer("tor", new BGPPeer { Metadata = { Name = "tor" }, Spec = new BGPPeerSpec { PeerIp = "192.168.0.1", AsNumber = new AsNumber(65000), Filters = ["second", "first"] } });
        resolver.OnPeer("other", new BGPPeer { Metadata = { Name = "other" }, Spec = new BGPPeerSpec { PeerIp = "192.168.0.5", AsNumber = new AsNumber(65000) } });
        resolver.OnFilter("first", Filter("first", "10.20.0.0/16"));

        var before = resolver.Resolve();
        Assert.Equal(["second", "first"], before.Peers.Single(p => p.Address.ToString() == "192.168.0.1").Filters.Select(f => f.Name));
        Assert.Contains(resolver.DrainProblems(), p => p.Contains("BGPFilter second does not exist", StringComparison.Ordinal));

        resolver.OnFilter("first", Filter("first", "10.30.0.0/16"));
        var after = resolver.Resolve();
        string Describe(RoutingPlan plan, string address) => plan.Peers.Single(p => p.Address.ToString() == address).Describe();
        Assert.NotEqual(Describe(before, "192.168.0.1"), Describe(after, "192.168.0.1"));
        Assert.Equal(Describe(before, "192.168.0.5"), Describe(after, "192.168.0.5"));
    }

    private static BGPFilter Filter(string name, string cidr) => new()
    {
        Metadata = { Name = name },
        Spec = new BGPFilterSpec { ExportV4 = [new BGPFilterRule { Action = "Reject", Cidr = cidr, MatchOperator = "In" }] },
    };
}
