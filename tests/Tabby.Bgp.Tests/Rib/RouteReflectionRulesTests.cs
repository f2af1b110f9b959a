using System.Net;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class RouteReflectionRulesTests
{
    private const uint RouterId = 0x0A0000FE;
    private static readonly RouteReflectionRules s_rules = new(LocalAs, RouterId, clusterId: 77);

    private static readonly RibPeer s_client1 = Ibgp("10.0.0.1", 1, client: true);
    private static readonly RibPeer s_client2 = Ibgp("10.0.0.2", 2, client: true);
    private static readonly RibPeer s_nonClient = Ibgp("10.0.0.3", 3);
    private static readonly RibPeer s_nonClient2 = Ibgp("10.0.0.4", 4);
    private static readonly RibPeer s_ebgp = Ebgp("10.0.1.1", 11, 65001);
    private static readonly RibPeer[] s_all = [s_client1, s_client2, s_nonClient, s_nonClient2, s_ebgp];

    private static RibPeer[] Receivers(RibPath best) => s_all.Where(p => s_rules.ShouldAdvertise(best, p)).ToArray();

    private static RibPath From(RibPeer peer, PathAttributes? attrs = null) => new(P("10.20.0.0/16"), attrs ?? Attrs(65001), peer);

    [Fact]
    public void From_a_client_goes_to_every_peer_but_the_sender()
    {
        Assert.Equal([s_client2, s_nonClient, s_nonClient2, s_ebgp], Receivers(From(s_client1)));
    }

    [Fact]
    public void From_a_non_client_goes_to_clients_and_ebgp_only()
    {
        Assert.Equal([s_client1, s_client2, s_ebgp], Receivers(From(s_nonClient)));
    }

    [Fact]
    public void From_ebgp_goes_to_everyone_else()
    {
        Assert.Equal([s_client1, s_client2, s_nonClient, s_nonClient2], Receivers(From(s_ebgp)));
    }

    [Fact]
    public void Local_routes_go_to_everyone()
    {
        Assert.Equal(s_all, Receivers(From(RibPeer.Local(RouterId, LocalAs), Attrs())));
    }

    [Fact]
    public void Without_clients_ibgp_split_horizon_applies()
    {
        var a = Ibgp("10.0.0.5", 5);
        var b = Ibgp("10.0.0.6", 6);
        Assert.False(s_rules.ShouldAdvertise(From(a), b));
        Assert.True(s_rules.ShouldAdvertise(From(a), s_ebgp));
    }

    [Fact]
    public void Not_sent_back_to_its_originator()
    {
        Assert.False(s_rules.ShouldAdvertise(From(s_client1, Attrs(65001) with { OriginatorId = 2 }), s_client2));
    }

    [Fact]
    public void Well_known_communities_limit_advertisement()
    {
        var noExport = From(s_client1, Attrs(65001) with { Communities = new[] { Community.NoExport } });
        Assert.False(s_rules.ShouldAdvertise(noExport, s_ebgp));
        Assert.True(s_rules.ShouldAdvertise(noExport, s_client2));
        var noAdvertise = From(s_client1, Attrs(65001) with { Communities = new[] { Community.NoAdvertise } });
        Assert.Empty(Receivers(noAdvertise));
    }

    [Fact]
    public void Reflection_sets_originator_id_and_prepends_the_cluster_id()
    {
        var out1 = s_rules.PrepareForPeer(From(s_client1), s_nonClient);
        Assert.Equal(1u, out1.OriginatorId);
        Assert.Equal([77u], out1.ClusterList.ToArray());
        Assert.Equal(100u, out1.LocalPref);

        var already = From(s_nonClient, Attrs(65001) with { OriginatorId = 42, ClusterList = new uint[] { 5 } });
        var out2 = s_rules.PrepareForPeer(already, s_client1);
        Assert.Equal(42u, out2.OriginatorId);
        Assert.Equal([77u, 5u], out2.ClusterList.ToArray());
    }

    [Fact]
    public void Ebgp_export_prepends_our_as_strips_ibgp_attributes_and_sets_next_hop_self()
    {
        var best = From(s_client1, Attrs(65001) with { LocalPref = 300, Med = 9, OriginatorId = 3, ClusterList = new uint[] { 4 } });
        var self = new BgpNextHop(IPAddress.Parse("10.0.1.254"));
        var a = s_rules.PrepareForPeer(best, s_ebgp, self);
        Assert.Equal("65000 65001", a.AsPath!.ToString());
        Assert.Null(a.LocalPref);
        Assert.Null(a.Med);
        Assert.Null(a.OriginatorId);
        Assert.Empty(a.ClusterList);
        Assert.Equal(IPAddress.Parse("10.0.1.254"), a.NextHop);
    }

    [Fact]
    public void Ebgp_export_keeps_a_med_we_set_ourselves()
    {
        var local = From(RibPeer.Local(RouterId, LocalAs), Attrs() with { Med = 5 });
        Assert.Equal(5u, s_rules.PrepareForPeer(local, s_ebgp).Med);
    }

    [Fact]
    public void Loops_are_detected_by_originator_id_and_cluster_list()
    {
        Assert.True(s_rules.IsLoop(Attrs(1) with { OriginatorId = RouterId }));
        Assert.True(s_rules.IsLoop(Attrs(1) with { ClusterList = new uint[] { 9, 77 } }));
        Assert.False(s_rules.IsLoop(Attrs(1) with { OriginatorId = 1, ClusterList = new uint[] { 9 } }));
    }

    [Fact]
    public void Cluster_id_defaults_to_the_router_id()
    {
        Assert.Equal(RouterId, new RouteReflectionRules(LocalAs, RouterId).ClusterId);
    }

    [Fact]
    public void Our_own_as_in_the_path_is_a_loop()
    {
        Assert.True(s_rules.IsAsPathLoop(Attrs(65001, LocalAs, 7)));
        Assert.False(s_rules.IsAsPathLoop(Attrs(65001, 7)));
    }

    [Fact]
    public void Ebgp_paths_must_start_with_the_peer_as()
    {
        Assert.True(RouteReflectionRules.FirstAsMatches(Attrs(65001, 7), s_ebgp));
        Assert.False(RouteReflectionRules.FirstAsMatches(Attrs(65009, 65001), s_ebgp));
        Assert.False(RouteReflectionRules.FirstAsMatches(Attrs(), s_ebgp));
        Assert.True(RouteReflectionRules.FirstAsMatches(Attrs(), s_client1));
    }
}
