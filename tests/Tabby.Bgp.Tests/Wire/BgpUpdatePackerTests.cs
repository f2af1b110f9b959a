using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Wire;

public class BgpUpdatePackerTests
{
    private static readonly BgpCodecContext s_ctx = BgpCodecContext.Default;

    private static readonly PathAttributes s_attrs = new()
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(65001, 65002),
        NextHop = IPAddress.Parse("192.168.0.12"),
        MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::12"), IPAddress.Parse("fe80::12")),
        LocalPref = 100,
        Communities = new[] { new Community(65000, 7) },
    };

    private static IpPrefix[] V4Hosts(int n) => Enumerable.Range(0, n).Select(i => IpPrefix.V4(0x0A000000u + (uint)i, 32)).ToArray();
    private static IpPrefix[] V6Hosts(int n) => Enumerable.Range(0, n).Select(i => IpPrefix.V6(((UInt128)0x20010DB8u << 96) + (uint)i, 128)).ToArray();

    private static int AttributeBytes(PathAttributes a)
    {
        var one = BgpMessageEncoder.Encode(new BgpUpdate { Attributes = a }, s_ctx);
        return one.Length - 23;
    }

    [Fact]
    public void Ipv4_prefixes_fill_each_update_to_the_limit()
    {
        var prefixes = V4Hosts(10_000);
        var messages = BgpUpdatePacker.PackAnnouncements(s_attrs, prefixes, s_ctx);
        var perMessage = (4096 - 23 - AttributeBytes(s_attrs)) / 5; // a /32 is 1 length byte + 4 address bytes
        Assert.Equal((10_000 + perMessage - 1) / perMessage, messages.Count);
        Assert.All(messages, m => Assert.InRange(m.Length, 24, 4096));
        Assert.True(messages[0].Length > 4090);

        var decoded = messages.Select(m => BgpMessageDecoder.DecodeUpdate(m, s_ctx)).ToList();
        Assert.Equal(prefixes, decoded.SelectMany(u => u.Nlri.ToArray()));
        Assert.All(decoded, u => Assert.Equal(s_attrs with { MpNextHop = null }, u.Attributes));
    }

    [Fact]
    public void Ipv6_prefixes_go_in_mp_reach_and_fill_each_update()
    {
        var prefixes = V6Hosts(3_000);
        var messages = BgpUpdatePacker.PackAnnouncements(s_attrs, prefixes, s_ctx);
        Assert.All(messages, m => Assert.True(m.Length <= 4096));
        Assert.True(messages[0].Length > 4096 - 17);
        var decoded = messages.Select(m => BgpMessageDecoder.DecodeUpdate(m, s_ctx)).ToList();
        Assert.Equal(prefixes, decoded.SelectMany(u => u.MpReach!.Prefixes.ToArray()));
        Assert.All(decoded, u => Assert.Equal(s_attrs.MpNextHop, u.Attributes.MpNextHop));
        Assert.All(decoded, u => Assert.Null(u.Attributes.NextHop)); // NEXT_HOP is left out of MP-only UPDATEs
    }

    [Fact]
    public void Mixed_families_are_split()
    {
        var messages = BgpUpdatePacker.PackAnnouncements(s_attrs, [IpPrefix.Parse("10.0.0.0/8"), IpPrefix.Parse("2001:db8::/32")], s_ctx);
        Assert.Equal(2, messages.Count);
        Assert.Single(BgpMessageDecoder.DecodeUpdate(messages[0], s_ctx).Nlri);
        Assert.Single(BgpMessageDecoder.DecodeUpdate(messages[1], s_ctx).MpReach!.Prefixes);
    }

    [Fact]
    public void Withdrawals_are_packed_for_both_families()
    {
        var v4 = V4Hosts(2_000);
        var v6 = V6Hosts(500);
        var messages = BgpUpdatePacker.PackWithdrawals(v4.Concat(v6).ToArray());
        Assert.Equal(3 + 3, messages.Count); // 10,000 bytes of IPv4 in 4073-byte fields; 8,500 bytes of IPv6 in 4066-byte attributes
        var decoded = messages.Select(m => BgpMessageDecoder.DecodeUpdate(m, s_ctx)).ToList();
        Assert.Equal(v4.Concat(v6), decoded.SelectMany(u => u.Withdrawn()));
    }

    [Fact]
    public void Ipv4_without_a_next_hop_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BgpUpdatePacker.PackAnnouncements(s_attrs with { NextHop = null }, [IpPrefix.Parse("10.0.0.0/8")], s_ctx));
    }

    [Fact]
    public void No_prefixes_no_messages()
    {
        Assert.Empty(BgpUpdatePacker.PackAnnouncements(s_attrs, [], s_ctx));
        Assert.Empty(BgpUpdatePacker.PackWithdrawals([]));
    }

    [Fact]
    public void Decoding_a_hundred_thousand_prefixes_shares_one_attribute_set_per_update()
    {
        var messages = BgpUpdatePacker.PackAnnouncements(s_attrs, V4Hosts(100_000), s_ctx);
        BgpMessageDecoder.DecodeUpdate(messages[0], s_ctx); // warm up
        var count = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var m in messages)
        {
            var u = BgpMessageDecoder.DecodeUpdate(m, s_ctx);
            count += u.Nlri.Count;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100_000, count);
        // The prefix values themselves (32 bytes each) plus a bounded amount per UPDATE, nothing per prefix.
        Assert.True(allocated < (100_000 * 32) + (messages.Count * 2_000), $"{allocated} bytes allocated");
    }

    [Fact]
    public void Random_prefix_sets_pack_within_limits_and_decode_back_in_order()
    {
        var random = new Random(4271);
        for (var round = 0; round < 40; round++)
        {
            var prefixes = new List<IpPrefix>();
            for (var i = random.Next(1, 3000); i > 0; i--)
            {
                if (random.Next(3) == 0)
                {
                    var len = random.Next(0, 129);
                    var bits = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
                    prefixes.Add(IpPrefix.V6(len == 0 ? UInt128.Zero : bits & (UInt128.MaxValue << (128 - len)), len));
                }
                else
                {
                    var len = random.Next(0, 33);
                    prefixes.Add(IpPrefix.V4(len == 0 ? 0 : (uint)random.NextInt64() & (uint.MaxValue << (32 - len)), len));
                }
            }
            var communities = Enumerable.Range(0, random.Next(0, 300)).Select(i => new Community((uint)i)).ToArray();
            var attrs = s_attrs with { Communities = communities };
            var messages = BgpUpdatePacker.PackAnnouncements(attrs, prefixes.ToArray(), s_ctx);
            Assert.All(messages, m => Assert.True(m.Length <= 4096));
            var decoded = messages.Select(m => BgpMessageDecoder.DecodeUpdate(m, s_ctx)).ToList();
            var v4 = decoded.SelectMany(u => u.Nlri.ToArray());
            var v6 = decoded.SelectMany(u => u.MpReach?.Prefixes.ToArray() ?? []);
            Assert.Equal(prefixes.Where(p => !p.IsIPv6).Concat(prefixes.Where(p => p.IsIPv6)), v4.Concat(v6));

            var withdrawn = BgpUpdatePacker.PackWithdrawals(prefixes.ToArray());
            Assert.All(withdrawn, m => Assert.True(m.Length <= 4096));
            Assert.Equal(prefixes.Count, withdrawn.Sum(m => BgpMessageDecoder.DecodeUpdate(m, s_ctx).Withdrawn().Count));
        }
    }

    [Fact]
    public void Packing_on_many_threads_at_once_gives_each_the_messages_it_would_get_alone()
    {
        // The message and attribute buffers are per thread and reused: packs running in parallel must not share them,
        // and one pack must not see what the previous one on its thread left behind.
        var sets = Enumerable.Range(0, 8).Select(i => s_attrs with { LocalPref = (uint)(100 + i), Med = (uint)i }).ToArray();
        var prefixes = V4Hosts(2000).Concat(V6Hosts(500)).ToArray();
        var expected = sets.Select(a => BgpUpdatePacker.PackAnnouncements(a, prefixes, s_ctx)).ToArray();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var set = i % sets.Length;
            var packed = new List<byte[]>();
            BgpUpdatePacker.PackAnnouncements(sets[set], prefixes, s_ctx, packed);
            BgpUpdatePacker.PackWithdrawals(prefixes.AsSpan(0, 10 + i), packed);
            Assert.Equal(expected[set], packed.Take(expected[set].Count));
            Assert.Equal(BgpUpdatePacker.PackWithdrawals(prefixes.AsSpan(0, 10 + i)), packed.Skip(expected[set].Count));
        });
    }

    [Fact]
    public void Packing_appends_after_what_the_list_already_holds()
    {
        var first = new byte[] { 1, 2, 3 };
        var messages = new List<byte[]> { first };
        BgpUpdatePacker.PackAnnouncements(s_attrs, V4Hosts(3), s_ctx, messages);
        BgpUpdatePacker.PackWithdrawals(V4Hosts(2), messages);
        Assert.Equal(3, messages.Count);
        Assert.Same(first, messages[0]);
        Assert.Equal(BgpUpdatePacker.PackAnnouncements(s_attrs, V4Hosts(3), s_ctx).Single(), messages[1]);
    }
}
