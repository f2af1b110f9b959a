using System.Net;
using Tabby.Bench.Bgp;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Xunit;

namespace Tabby.Bench.Tests.Bgp;

public class BgpSegmentTests
{
    private static readonly PathAttributes Attributes = new()
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(),
        NextHop = IPAddress.Parse("192.0.2.1"),
        LocalPref = 100,
    };

    private static byte[] Keepalive() => BgpMessageEncoder.Encode(BgpKeepalive.Instance, BgpCodecContext.Default);

    private static byte[] Concat(params byte[][] messages) => messages.SelectMany(m => m).ToArray();

    [Fact]
    public void An_update_announcing_one_route_is_routes_however_small()
    {
        var update = BgpUpdatePacker.PackAnnouncements(Attributes, [IpPrefix.Parse("10.0.0.1/32")], BgpCodecContext.Default).Single();
        Assert.True(update.Length < 100);
        Assert.True(BgpSegment.StartsWithRoutes(update));
        Assert.True(BgpSegment.CarriesMoreThanKeepalives(update));
    }

    [Fact]
    public void A_withdrawal_is_routes()
    {
        var update = BgpUpdatePacker.PackWithdrawals([IpPrefix.Parse("10.0.0.1/32")]).Single();
        Assert.True(BgpSegment.StartsWithRoutes(update));
    }

    [Fact]
    public void An_ipv6_announcement_in_mp_reach_is_routes()
    {
        var attributes = Attributes with { NextHop = null, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::1")) };
        var update = BgpUpdatePacker.PackAnnouncements(attributes, [IpPrefix.Parse("2001:db8:1::/48")], BgpCodecContext.Default).Single();
        Assert.True(BgpSegment.StartsWithRoutes(update));
    }

    [Fact]
    public void An_ipv6_withdrawal_in_mp_unreach_is_routes()
    {
        var update = BgpUpdatePacker.PackWithdrawals([IpPrefix.Parse("2001:db8:1::/48")]).Single();
        Assert.True(BgpSegment.StartsWithRoutes(update));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void End_of_rib_markers_are_not_routes(bool ipv6)
    {
        var marker = BgpUpdatePacker.EndOfRib(ipv6 ? BgpFamily.Ipv6Unicast : BgpFamily.Ipv4Unicast);
        Assert.False(BgpSegment.StartsWithRoutes(marker));
    }

    [Fact]
    public void An_empty_mp_unreach_with_an_extended_length_is_an_end_of_rib_too()
    {
        // 19-byte header, no withdrawn routes, 7 bytes of attributes: flags 0x90 (optional, extended length), type 15,
        // length 3 in two bytes, AFI 2, SAFI 1.
        byte[] marker = [.. Enumerable.Repeat((byte)0xFF, 16), 0, 30, 2, 0, 0, 0, 7, 0x90, 15, 0, 3, 0, 2, 1];
        Assert.False(BgpSegment.StartsWithRoutes(marker));
        Assert.True(BgpSegment.CarriesMoreThanKeepalives(marker));
    }

    [Fact]
    public void Keepalives_are_neither_routes_nor_more_than_keepalives()
    {
        Assert.False(BgpSegment.StartsWithRoutes(Keepalive()));
        Assert.False(BgpSegment.CarriesMoreThanKeepalives(Keepalive()));
        Assert.False(BgpSegment.CarriesMoreThanKeepalives(Concat(Keepalive(), Keepalive())));
        Assert.False(BgpSegment.CarriesMoreThanKeepalives([]));
    }

    [Fact]
    public void An_update_behind_keepalives_in_the_same_segment_is_routes()
    {
        var update = BgpUpdatePacker.PackWithdrawals([IpPrefix.Parse("10.0.0.1/32")]).Single();
        var segment = Concat(Keepalive(), Keepalive(), update);
        Assert.True(BgpSegment.StartsWithRoutes(segment));
        Assert.True(BgpSegment.CarriesMoreThanKeepalives(segment));
    }

    [Fact]
    public void An_end_of_rib_behind_a_keepalive_is_not_routes()
    {
        Assert.False(BgpSegment.StartsWithRoutes(Concat(Keepalive(), BgpUpdatePacker.EndOfRib(BgpFamily.Ipv4Unicast))));
    }

    [Fact]
    public void The_middle_of_a_message_is_more_than_keepalives_and_not_a_start()
    {
        var update = BgpUpdatePacker.PackAnnouncements(Attributes, [IpPrefix.Parse("10.0.0.1/32")], BgpCodecContext.Default).Single();
        Assert.False(BgpSegment.StartsWithRoutes(update.AsSpan(5)));
        Assert.True(BgpSegment.CarriesMoreThanKeepalives(update.AsSpan(5)));
        Assert.True(BgpSegment.CarriesMoreThanKeepalives(Concat(Keepalive(), update[..10])));
    }

    [Fact]
    public void A_truncated_header_is_not_routes()
    {
        var update = BgpUpdatePacker.PackWithdrawals([IpPrefix.Parse("10.0.0.1/32")]).Single();
        Assert.False(BgpSegment.StartsWithRoutes(update.AsSpan(0, 20)));
    }
}
