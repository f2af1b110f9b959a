using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class AdjRibOutTests
{
    [Fact]
    public void A_bit_per_slot_says_what_the_peer_has_and_counts_per_family()
    {
        var rib = new AdjRibOut();
        Assert.False(rib.IsAdvertised(5));
        Assert.True(rib.MarkAdvertised(5, ipv6: false));
        Assert.False(rib.MarkAdvertised(5, ipv6: false)); // already there: an update, not a new prefix
        Assert.True(rib.MarkAdvertised(200_000, ipv6: true)); // grows on demand
        Assert.Equal((2, 1, 1), (rib.AdvertisedCount, rib.AdvertisedIn(BgpFamily.Ipv4Unicast), rib.AdvertisedIn(BgpFamily.Ipv6Unicast)));

        Assert.True(rib.MarkWithdrawn(5, ipv6: false));
        Assert.False(rib.MarkWithdrawn(5, ipv6: false)); // nothing to withdraw twice
        Assert.False(rib.MarkWithdrawn(7, ipv6: false)); // nor what was never sent
        Assert.Equal(1, rib.AdvertisedCount);

        rib.Reset();
        Assert.Equal(0, rib.AdvertisedCount);
        Assert.False(rib.IsAdvertised(200_000));
    }

    [Fact]
    public void A_batch_groups_prefixes_by_equal_attribute_sets_and_withdraws_first()
    {
        var batch = new UpdateBatch();
        var sets = new[] { Attrs(1), Attrs(2), Attrs(3) };
        for (var i = 0; i < 30; i++)
            batch.Announce(IpPrefix.V4(0x0A000000u + (uint)(i << 8), 24), i % 4 == 3 ? Attrs(1) : sets[i % 3]); // equal sets, other objects
        batch.Withdraw(P("10.99.0.0/16"));
        var messages = new List<byte[]>();
        batch.PackInto(messages, BgpCodecContext.Default);

        // One UPDATE of withdrawals, then one per attribute group (ten /24s fit one UPDATE each).
        Assert.Equal(4, messages.Count);
        var first = Assert.IsType<BgpUpdate>(BgpMessageDecoder.Decode(messages[0], BgpCodecContext.Default));
        Assert.Equal([P("10.99.0.0/16")], first.WithdrawnRoutes.AsSpan().ToArray());
        var announced = messages.Skip(1).Select(m => (BgpUpdate)BgpMessageDecoder.Decode(m, BgpCodecContext.Default)).ToList();
        Assert.Equal(30, announced.Sum(u => u.Nlri.Count));
        Assert.Equal(3, announced.Select(u => u.Attributes).Distinct().Count());
        Assert.True(batch.IsEmpty);
    }

    [Fact]
    public void Many_prefixes_with_one_attribute_set_pack_into_few_updates_and_the_batch_is_reused()
    {
        var batch = new UpdateBatch();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 100_000; i++)
                batch.Announce(IpPrefix.V4(0x0A000000u + (uint)i, 32), Attrs(65001));
            var messages = new List<byte[]>();
            batch.PackInto(messages, BgpCodecContext.Default);
            // ORIGIN (4) + AS_PATH (9) + NEXT_HOP (7) = 20 attribute bytes leave 4053 for NLRI: 810 /32s per UPDATE.
            Assert.Equal(124, messages.Count);
        }
    }
}
