using System.Net;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class BestPathSelectorTests
{
    private static readonly RibPeer s_a = Ebgp("10.0.0.1", 1, 65001);
    private static readonly RibPeer s_b = Ebgp("10.0.0.2", 2, 65001);

    private static RibPath Path(RibPeer peer, PathAttributes attrs) => new(P("10.20.0.0/16"), attrs, peer);

    // Every ordering must pick the same winner: selection is by elimination, not a sort.
    private static void AssertBest(RibPath expected, params RibPath[] others)
    {
        var all = others.Append(expected).ToList();
        for (var rotation = 0; rotation < all.Count; rotation++)
        {
            var order = all.Skip(rotation).Concat(all.Take(rotation)).ToList();
            Assert.Same(expected, BestPathSelector.Select(order));
            order.Reverse();
            Assert.Same(expected, BestPathSelector.Select(order));
        }
    }

    [Fact]
    public void No_candidates_no_best()
    {
        Assert.Null(BestPathSelector.Select([]));
    }

    [Fact]
    public void Higher_local_pref_wins_first()
    {
        // Longer path, worse origin, higher router ID: LOCAL_PREF still decides.
        var winner = Path(s_b, Attrs(65001, 1, 2, 3) with { LocalPref = 200, Origin = BgpOrigin.Incomplete });
        AssertBest(winner, Path(s_a, Attrs(65001) with { LocalPref = 100 }));
    }

    [Fact]
    public void Missing_local_pref_counts_as_100()
    {
        AssertBest(Path(s_b, Attrs(65001) with { LocalPref = 101 }), Path(s_a, Attrs(65001)));
        AssertBest(Path(s_a, Attrs(65001)), Path(s_b, Attrs(65001) with { LocalPref = 99 }));
    }

    [Fact]
    public void Shorter_as_path_wins_and_an_as_set_counts_one()
    {
        var withSet = new AsPath(new[]
        {
            new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001, 2 }),
            new AsPathSegment(AsPathSegmentType.AsSet, new uint[] { 3, 4, 5, 6 }),
        });
        Assert.Equal(3, withSet.Length);
        AssertBest(Path(s_b, Attrs() with { AsPath = withSet }), Path(s_a, Attrs(65001, 2, 3, 4)));
    }

    [Fact]
    public void Lower_origin_wins()
    {
        AssertBest(Path(s_b, Attrs(65001) with { Origin = BgpOrigin.Egp }), Path(s_a, Attrs(65001) with { Origin = BgpOrigin.Incomplete }));
        AssertBest(Path(s_b, Attrs(65001) with { Origin = BgpOrigin.Igp }), Path(s_a, Attrs(65001) with { Origin = BgpOrigin.Egp }));
    }

    [Fact]
    public void Lower_med_wins_between_paths_from_the_same_neighbour_as()
    {
        AssertBest(Path(s_b, Attrs(65001) with { Med = 5 }), Path(s_a, Attrs(65001) with { Med = 10 }));
    }

    [Fact]
    public void Missing_med_counts_as_zero()
    {
        AssertBest(Path(s_b, Attrs(65001)), Path(s_a, Attrs(65001) with { Med = 1 }));
    }

    [Fact]
    public void Med_is_not_compared_across_neighbour_ases()
    {
        var other = Ebgp("10.0.0.3", 3, 65002);
        // Higher MED, but a different neighbour AS: MED is skipped and the lower router ID (1) wins.
        AssertBest(Path(s_a, Attrs(65001) with { Med = 100 }), Path(other, Attrs(65002) with { Med = 0 }));
    }

    [Fact]
    public void Med_elimination_is_per_neighbour_as_and_order_independent()
    {
        // A (AS 65001, MED 10, id 1) loses to B (AS 65001, MED 5, id 2) on MED; C (AS 65002, id 3)
        // is not compared with either on MED, so B and C go on to router ID and B wins, whatever the order.
        var c = Ebgp("10.0.0.3", 3, 65002);
        AssertBest(Path(s_b, Attrs(65001) with { Med = 5 }), Path(s_a, Attrs(65001) with { Med = 10 }), Path(c, Attrs(65002) with { Med = 0 }));
    }

    [Fact]
    public void Ebgp_beats_ibgp_and_local_beats_both()
    {
        var ibgp = Ibgp("10.0.0.9", 0, false);
        AssertBest(Path(s_b, Attrs(65001)), Path(ibgp, Attrs(65001)));
        var local = RibPeer.Local(99, LocalAs);
        AssertBest(Path(local, Attrs(65001)), Path(s_a, Attrs(65001)), Path(ibgp, Attrs(65001)));
    }

    [Fact]
    public void Lower_router_id_wins()
    {
        AssertBest(Path(s_a, Attrs(65001)), Path(s_b, Attrs(65001)));
    }

    [Fact]
    public void Originator_id_stands_in_for_the_router_id()
    {
        var x = Ibgp("10.0.0.1", 1);
        var y = Ibgp("10.0.0.2", 2);
        // x's path was reflected from a router with ID 50; y's router ID 2 is lower.
        AssertBest(Path(y, Attrs(65001)), Path(x, Attrs(65001) with { OriginatorId = 50 }));
    }

    [Fact]
    public void Shorter_cluster_list_wins()
    {
        var x = Ibgp("10.0.0.1", 1);
        var y = Ibgp("10.0.0.2", 2);
        AssertBest(Path(y, Attrs(65001) with { OriginatorId = 7, ClusterList = new uint[] { 1 } }),
            Path(x, Attrs(65001) with { OriginatorId = 7, ClusterList = new uint[] { 1, 2 } }));
    }

    [Fact]
    public void Lower_peer_address_is_the_last_tie_breaker()
    {
        var x = Ibgp("10.0.0.9", 1);
        var y = Ibgp("10.0.0.10", 1);
        AssertBest(Path(x, Attrs(65001) with { OriginatorId = 7 }), Path(y, Attrs(65001) with { OriginatorId = 7 }));
    }

    [Fact]
    public void Addresses_order_ipv4_first_then_bytewise()
    {
        Assert.True(BestPathSelector.CompareAddresses(IPAddress.Parse("10.0.0.9"), IPAddress.Parse("10.0.0.10")) < 0);
        Assert.True(BestPathSelector.CompareAddresses(IPAddress.Parse("255.0.0.0"), IPAddress.Parse("::1")) < 0);
    }

    [Fact]
    public void Confederation_segments_do_not_count_towards_path_length()
    {
        var confed = new AsPath(new[]
        {
            new AsPathSegment(AsPathSegmentType.ConfedSequence, new uint[] { 64512, 64513, 64514 }),
            new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001 }),
        });
        Assert.Equal(1, confed.Length);
        Assert.Equal(65001u, confed.NeighborAs);
        AssertBest(Path(s_b, Attrs() with { AsPath = confed }), Path(s_a, Attrs(65001, 2)));
    }
}
