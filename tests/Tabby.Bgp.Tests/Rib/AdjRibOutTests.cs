using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class AdjRibOutTests
{
    private static readonly RibPeer s_peer = Ebgp("10.0.0.1", 1, 65001);

    [Fact]
    public void Pending_prefixes_are_grouped_by_attribute_set()
    {
        var rib = new AdjRibOut(s_peer);
        var sets = new[] { Attrs(1), Attrs(2), Attrs(3) };
        for (var i = 0; i < 30; i++)
            rib.Advertise(IpPrefix.V4(0x0A000000u + (uint)(i << 8), 24), sets[i % 3]);
        var batch = rib.TakePending();
        Assert.Equal(3, batch.Announcements.Length);
        Assert.All(batch.Announcements, g => Assert.Equal(10, g.Prefixes.Length));
        Assert.Equal(sets, batch.Announcements.Select(g => g.Attributes));
        Assert.Empty(batch.Withdrawals);
        Assert.Equal(30, rib.AdvertisedCount);

        // Three attribute groups of ten /24s each fit one UPDATE apiece.
        Assert.Equal(3, batch.ToMessages(BgpCodecContext.Default).Count);
    }

    [Fact]
    public void Many_prefixes_with_one_attribute_set_pack_into_few_updates()
    {
        var rib = new AdjRibOut(s_peer);
        for (var i = 0; i < 100_000; i++)
            rib.Advertise(IpPrefix.V4(0x0A000000u + (uint)i, 32), Attrs(65001));
        var messages = rib.TakePending().ToMessages(BgpCodecContext.Default);
        // ORIGIN (4) + AS_PATH (9) + NEXT_HOP (7) = 20 attribute bytes leave 4053 for NLRI: 810 /32s per UPDATE.
        Assert.Equal(124, messages.Count);
    }

    [Fact]
    public void Re_advertising_what_the_peer_has_is_a_no_op()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.TakePending();
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        Assert.False(rib.HasPending);
    }

    [Fact]
    public void A_flap_before_sending_ends_where_it_started()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.TakePending();
        rib.Advertise(P("10.1.0.0/16"), Attrs(2));
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        Assert.False(rib.HasPending);
        rib.Withdraw(P("10.1.0.0/16"));
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        Assert.False(rib.HasPending);
    }

    [Fact]
    public void Withdrawals_are_sent_only_for_advertised_prefixes()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.Withdraw(P("10.1.0.0/16")); // never sent: nothing to withdraw
        Assert.True(rib.TakePending().IsEmpty);

        rib.Advertise(P("10.2.0.0/16"), Attrs(1));
        rib.TakePending();
        rib.Withdraw(P("10.2.0.0/16"));
        var batch = rib.TakePending();
        Assert.Equal([P("10.2.0.0/16")], batch.Withdrawals);
        Assert.Equal(0, rib.AdvertisedCount);
    }

    [Fact]
    public void Route_refresh_resends_everything_advertised()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.Advertise(P("10.2.0.0/16"), Attrs(1));
        rib.TakePending();
        rib.RefreshAll();
        rib.Advertise(P("10.1.0.0/16"), Attrs(1)); // the RIB repeating itself must not cancel the refresh
        var batch = rib.TakePending();
        Assert.Equal(2, Assert.Single(batch.Announcements).Prefixes.Length);
    }

    [Fact]
    public void Reset_forgets_the_session()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.TakePending();
        rib.Reset();
        Assert.Equal(0, rib.AdvertisedCount);
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        Assert.True(rib.HasPending);
    }

    [Fact]
    public void A_prefix_dropped_and_its_slot_reused_before_sending_is_sent_once()
    {
        var rib = new AdjRibOut(s_peer);
        rib.Advertise(P("10.9.0.0/16"), Attrs(9));
        rib.TakePending();
        rib.Advertise(P("10.1.0.0/16"), Attrs(1));
        rib.Withdraw(P("10.1.0.0/16")); // never sent: dropped, its slot freed while still queued
        rib.Advertise(P("10.2.0.0/16"), Attrs(2)); // takes that slot and queues it again
        rib.Withdraw(P("10.9.0.0/16"));
        var batch = rib.TakePending();
        Assert.Equal([P("10.9.0.0/16")], batch.Withdrawals);
        var group = Assert.Single(batch.Announcements);
        Assert.Equal([P("10.2.0.0/16")], group.Prefixes);
        Assert.Equal(1, rib.AdvertisedCount);
        Assert.Equal(0, rib.PendingCount);
    }
}
