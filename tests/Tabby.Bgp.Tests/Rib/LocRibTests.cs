using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class LocRibTests
{
    private static readonly RibPeer s_a = Ebgp("10.0.0.1", 1, 65001);
    private static readonly RibPeer s_b = Ebgp("10.0.0.2", 2, 65002);

    [Fact]
    public void First_path_becomes_best_and_is_reported()
    {
        var rib = new LocRib();
        rib.Announce(s_a, P("10.20.0.0/16"), Attrs(65001));
        var change = Assert.Single(rib.TakeChanges());
        Assert.Equal(P("10.20.0.0/16"), change.Prefix);
        Assert.Equal(s_a, change.Best!.Peer);
        Assert.Null(change.Previous);
        Assert.Empty(rib.TakeChanges());
    }

    [Fact]
    public void A_rib_sized_and_prefaulted_up_front_fills_past_its_size_and_reports_every_change()
    {
        var rib = new LocRib(capacity: 2048);
        rib.Prefault();
        for (var i = 0; i < 3000; i++)
            rib.Announce(s_a, IpPrefix.V4(0x0A000000u + (uint)i, 32), Attrs(65001));
        // Prefaulting with changes pending must leave them be.
        rib.Prefault();
        Assert.Equal(3000, rib.Count);
        Assert.Equal(3000, rib.TakeChanges().Length);
    }

    [Fact]
    public void Changes_are_taken_in_bounded_lists_oldest_first_and_the_rest_stay_pending()
    {
        // The speaker takes at most 1,000 changes per list so no list is a large object; nothing may be lost or reordered.
        var rib = new LocRib();
        var prefixes = Enumerable.Range(0, 2500).Select(i => P($"10.{i / 256}.{i % 256}.0/24")).ToArray();
        foreach (var prefix in prefixes)
            rib.Announce(s_a, prefix, Attrs(65001));
        // Withdrawn again before being taken: no change at all for these, and their entries go.
        foreach (var prefix in prefixes[..10])
            rib.Withdraw(s_a, prefix);

        var taken = new List<Tabby.Core.Addressing.IpPrefix>();
        var lists = 0;
        while (rib.HasChanges)
        {
            var list = rib.TakeRouteChanges(1000);
            Assert.True(list.Length <= 1000);
            taken.AddRange(list.Select(c => c.Prefix));
            lists++;
        }

        Assert.Equal(3, lists);
        Assert.Equal(prefixes[10..], taken);
        Assert.Equal(2490, rib.Count);
    }

    [Fact]
    public void Changes_made_while_some_are_still_pending_are_taken_after_them()
    {
        var rib = new LocRib();
        var first = Enumerable.Range(0, 100).Select(i => P($"10.1.{i}.0/24")).ToArray();
        var later = Enumerable.Range(0, 100).Select(i => P($"10.2.{i}.0/24")).ToArray();
        foreach (var prefix in first)
            rib.Announce(s_a, prefix, Attrs(65001));
        var taken = rib.TakeRouteChanges(30).Select(c => c.Prefix).ToList();
        // More changes while 70 wait: queued behind them, whatever room the pending list had.
        foreach (var prefix in later)
            rib.Announce(s_a, prefix, Attrs(65001));
        while (rib.HasChanges)
            taken.AddRange(rib.TakeRouteChanges(30).Select(c => c.Prefix));

        Assert.Equal(first.Concat(later), taken);
    }

    [Fact]
    public void A_better_path_replaces_the_best_and_withdrawing_it_falls_back()
    {
        var rib = new LocRib();
        var p = P("10.20.0.0/16");
        rib.Announce(s_b, p, Attrs(65002, 1));
        rib.TakeChanges();

        rib.Announce(s_a, p, Attrs(65001));
        var better = Assert.Single(rib.TakeChanges());
        Assert.Equal(s_a, better.Best!.Peer);
        Assert.Equal(s_b, better.Previous!.Peer);

        rib.Withdraw(s_a, p);
        Assert.Equal(s_b, Assert.Single(rib.TakeChanges()).Best!.Peer);

        rib.Withdraw(s_b, p);
        Assert.True(Assert.Single(rib.TakeChanges()).IsWithdrawal);
        Assert.Equal(0, rib.Count);
    }

    [Fact]
    public void A_worse_path_is_a_candidate_but_not_a_change()
    {
        var rib = new LocRib();
        var p = P("10.20.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.TakeChanges();
        rib.Announce(s_b, p, Attrs(65002, 1, 2));
        Assert.Empty(rib.TakeChanges());
        Assert.Equal(2, rib.GetCandidates(p).Count);
    }

    [Fact]
    public void A_new_path_from_the_same_peer_replaces_the_old_one()
    {
        var rib = new LocRib();
        var p = P("10.20.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.Announce(s_a, p, Attrs(65001) with { Med = 7 });
        Assert.Single(rib.GetCandidates(p));
        Assert.Equal(7u, Assert.Single(rib.TakeChanges()).Best!.Attributes.Med);
    }

    [Fact]
    public void Changes_are_coalesced_within_a_batch()
    {
        var rib = new LocRib();
        var p = P("10.20.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.Withdraw(s_a, p);
        Assert.Empty(rib.TakeChanges());

        rib.Announce(s_a, p, Attrs(65001));
        rib.TakeChanges();
        rib.Announce(s_b, p, Attrs(65002) with { LocalPref = 500 });
        rib.Withdraw(s_b, p);
        Assert.Empty(rib.TakeChanges());
    }

    [Fact]
    public void Announcing_the_same_attributes_again_is_not_a_change()
    {
        var rib = new LocRib();
        var p = P("10.20.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.TakeChanges();
        rib.Announce(s_a, p, Attrs(65001));
        Assert.Empty(rib.TakeChanges());
    }

    [Fact]
    public void Removing_a_peer_withdraws_all_its_paths()
    {
        var rib = new LocRib();
        for (var i = 0; i < 10; i++)
            rib.Announce(s_a, P($"10.{i}.0.0/16"), Attrs(65001));
        rib.Announce(s_b, P("10.0.0.0/16"), Attrs(65002, 9));
        rib.TakeChanges();
        rib.RemovePeer(s_a);
        var changes = rib.TakeChanges();
        Assert.Equal(10, changes.Length);
        Assert.Equal(9, changes.Count(c => c.IsWithdrawal));
        Assert.Equal(s_b, changes.Single(c => !c.IsWithdrawal).Best!.Peer);
        Assert.Equal(1, rib.Count);
    }

    [Fact]
    public void Equal_attribute_sets_are_interned_to_one_object()
    {
        var rib = new LocRib();
        for (var i = 0; i < 1000; i++)
            rib.Announce(s_a, P($"10.{i / 256}.{i % 256}.0/24"), Attrs(65001)); // a fresh but equal object each time
        Assert.Equal(1, rib.AttributeSetCount);
        var first = rib.GetBest(P("10.0.0.0/24"))!.Attributes;
        Assert.Same(first, rib.GetBest(P("10.3.231.0/24"))!.Attributes);
        rib.RemovePeer(s_a);
        Assert.Equal(0, rib.AttributeSetCount);
    }

    [Fact]
    public void Graceful_restart_keeps_stale_paths_in_use_until_swept()
    {
        var rib = new LocRib();
        rib.Announce(s_a, P("10.1.0.0/16"), Attrs(65001));
        rib.Announce(s_a, P("10.2.0.0/16"), Attrs(65001));
        rib.Announce(s_a, P("2001:db8::/32"), Attrs(65001));
        rib.TakeChanges();

        Assert.Equal(3, rib.MarkStale(s_a));
        Assert.Empty(rib.TakeChanges());
        Assert.True(rib.GetBest(P("10.1.0.0/16"))!.IsStale);

        // The peer comes back and re-announces one route unchanged: no change, no longer stale.
        rib.Announce(s_a, P("10.1.0.0/16"), Attrs(65001));
        Assert.Empty(rib.TakeChanges());
        Assert.False(rib.GetBest(P("10.1.0.0/16"))!.IsStale);

        // End-of-RIB for IPv4: the IPv4 route it did not repeat goes; IPv6 waits for its own End-of-RIB.
        Assert.Equal(1, rib.SweepStale(s_a, BgpFamily.Ipv4Unicast));
        var gone = Assert.Single(rib.TakeChanges());
        Assert.Equal(P("10.2.0.0/16"), gone.Prefix);
        Assert.True(gone.IsWithdrawal);
        Assert.True(rib.GetBest(P("2001:db8::/32"))!.IsStale);

        // The restart timer fires: everything still stale goes.
        Assert.Equal(1, rib.SweepStale(s_a));
        Assert.Null(rib.GetBest(P("2001:db8::/32")));
    }

    [Fact]
    public void Sweeping_a_stale_best_falls_back_to_another_peer()
    {
        var rib = new LocRib();
        var p = P("10.1.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.Announce(s_b, p, Attrs(65002, 1));
        rib.TakeChanges();
        rib.MarkStale(s_a);
        rib.SweepStale(s_a);
        Assert.Equal(s_b, Assert.Single(rib.TakeChanges()).Best!.Peer);
    }

    [Fact]
    public void A_peer_is_identified_by_its_address_so_a_new_router_id_replaces_its_paths()
    {
        var rib = new LocRib();
        var p = P("10.1.0.0/16");
        rib.Announce(s_a, p, Attrs(65001));
        rib.MarkStale(s_a);
        var reconnected = s_a with { RouterId = 42 };
        Assert.Equal(s_a, reconnected);
        rib.Announce(reconnected, p, Attrs(65001));
        var only = Assert.Single(rib.GetCandidates(p));
        Assert.Equal(42u, only.Peer.RouterId);
        Assert.False(only.IsStale);
        Assert.Equal(0, rib.SweepStale(reconnected));
    }
}
