using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Linux.Tests.Netlink;

public sealed class RouteCodecTests
{
    [Fact]
    public void A_workload_route_is_encoded_as_rtmsg_table_destination_and_interface()
    {
        using var writer = new NetlinkWriter();

        RouteCodec.WriteNew(writer, Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), 5), sequence: 1, replace: false);

        byte[] expected =
        [
            52, 0, 0, 0,        // nlmsg_len
            24, 0,              // RTM_NEWROUTE
            0x01, 0x06,         // REQUEST | EXCL | CREATE
            1, 0, 0, 0,         // seq
            0, 0, 0, 0,         // pid
            2,                  // rtm_family AF_INET
            32,                 // rtm_dst_len
            0, 0,               // rtm_src_len, rtm_tos
            254,                // rtm_table main
            76,                 // rtm_protocol tabby
            253,                // rtm_scope link
            1,                  // rtm_type unicast
            0, 0, 0, 0,         // rtm_flags
            8, 0, 15, 0, 254, 0, 0, 0,  // RTA_TABLE 254
            8, 0, 1, 0, 10, 20, 1, 2,   // RTA_DST 10.20.1.2
            8, 0, 4, 0, 5, 0, 0, 0,     // RTA_OIF 5
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void An_onlink_route_through_a_tunnel_device_carries_RTNH_F_ONLINK_in_rtm_flags()
    {
        using var writer = new NetlinkWriter();
        var route = new Route(IpPrefix.Parse("10.20.2.0/26")) { Gateway = IPAddress.Parse("10.20.2.1"), InterfaceIndex = 9, OnLink = true };

        RouteCodec.WriteNew(writer, route, sequence: 1, replace: true);

        byte[] expected =
        [
            60, 0, 0, 0,        // nlmsg_len
            24, 0,              // RTM_NEWROUTE
            0x01, 0x05,         // REQUEST | REPLACE | CREATE
            1, 0, 0, 0,         // seq
            0, 0, 0, 0,         // pid
            2,                  // rtm_family AF_INET
            26,                 // rtm_dst_len
            0, 0,               // rtm_src_len, rtm_tos
            254,                // rtm_table main
            76,                 // rtm_protocol tabby
            0,                  // rtm_scope universe: the gateway is a next hop, not a neighbour of a subnet
            1,                  // rtm_type unicast
            4, 0, 0, 0,         // rtm_flags RTNH_F_ONLINK: the gateway is on the device even though no address covers it
            8, 0, 15, 0, 254, 0, 0, 0,  // RTA_TABLE 254
            8, 0, 1, 0, 10, 20, 2, 0,   // RTA_DST 10.20.2.0
            8, 0, 4, 0, 9, 0, 0, 0,     // RTA_OIF 9: the VXLAN device
            8, 0, 5, 0, 10, 20, 2, 1,   // RTA_GATEWAY: the remote VTEP's tunnel address
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void Replace_asks_for_replace_instead_of_exclusive_create()
    {
        using var writer = new NetlinkWriter();

        RouteCodec.WriteNew(writer, Route.Blackhole(IpPrefix.Parse("10.20.1.0/26")), sequence: 1, replace: true);

        Assert.Equal(0x0501, BitConverter.ToUInt16(writer.Written.ToArray(), 6)); // REQUEST | REPLACE | CREATE
        Assert.Equal(6, writer.Written[16 + 7]); // rtm_type blackhole
    }

    [Fact]
    public void A_delete_matches_any_scope_and_type_but_keeps_the_protocol()
    {
        using var writer = new NetlinkWriter();

        RouteCodec.WriteDelete(writer, Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), 5), sequence: 1);

        var bytes = writer.Written.ToArray();
        Assert.Equal(25, BitConverter.ToUInt16(bytes, 4));   // RTM_DELROUTE
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 6));    // REQUEST only
        Assert.Equal(76, bytes[16 + 5]);                     // rtm_protocol tabby
        Assert.Equal(255, bytes[16 + 6]);                    // rtm_scope nowhere
        Assert.Equal(0, bytes[16 + 7]);                      // rtm_type unspecified
    }

    [Fact]
    public void A_table_over_255_travels_only_in_RTA_TABLE()
    {
        using var writer = new NetlinkWriter();

        RouteCodec.WriteNew(writer, Route.Blackhole(IpPrefix.Parse("10.20.1.0/26")) with { Table = 1000 }, sequence: 1, replace: false);

        var bytes = writer.Written.ToArray();
        Assert.Equal(0, bytes[16 + 4]);                         // rtm_table RT_TABLE_UNSPEC
        Assert.Equal(1000u, BitConverter.ToUInt32(bytes, 32)); // the RTA_TABLE value
    }

    [Fact]
    public void A_route_decodes_back_to_what_was_encoded()
    {
        var route = new Route(IpPrefix.Parse("10.30.0.0/24"))
        {
            Gateway = IPAddress.Parse("192.168.7.2"),
            InterfaceIndex = 3,
            OnLink = true,
            Metric = 100,
            Table = 1000,
            Protocol = RouteProtocol.Bird,
            PreferredSource = IPAddress.Parse("192.168.7.1"),
        };

        var decoded = RoundTrip(route);

        Assert.Equal(route, decoded);
    }

    [Fact]
    public void An_ECMP_route_decodes_each_next_hop_with_its_gateway_interface_weight_and_onlink_flag()
    {
        NextHop[] hops =
        [
            new(IPAddress.Parse("192.168.7.2"), 3, Weight: 1),
            new(IPAddress.Parse("169.254.1.1"), 4, Weight: 256, OnLink: true),
            new(null, 5, Weight: 7),
        ];

        var decoded = RoundTrip(new Route(IpPrefix.Parse("10.40.0.0/16")) { NextHops = hops });

        Assert.Equal(IpPrefix.Parse("10.40.0.0/16"), decoded.Destination);
        Assert.Equal(hops, decoded.NextHops!);
        Assert.Null(decoded.Gateway);
        Assert.Equal(0, decoded.InterfaceIndex);
    }

    [Fact]
    public void An_IPv6_route_decodes_back_to_what_was_encoded()
    {
        var route = new Route(IpPrefix.Parse("2001:db8:40::/64")) { Gateway = IPAddress.Parse("fe80::1"), InterfaceIndex = 2, Metric = 1024 };

        Assert.Equal(route, RoundTrip(route));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void A_next_hop_weight_outside_1_to_256_is_refused(int weight)
    {
        using var writer = new NetlinkWriter();
        var route = new Route(IpPrefix.Parse("10.40.0.0/16")) { NextHops = [new NextHop(null, 3, weight)] };

        Assert.Throws<ArgumentOutOfRangeException>(() => RouteCodec.WriteNew(writer, route, sequence: 1, replace: false));
    }

    [Fact]
    public void A_cloned_cache_entry_and_a_family_Tabby_does_not_model_are_not_routes()
    {
        using var writer = new NetlinkWriter();
        RouteCodec.WriteNew(writer, Route.Blackhole(IpPrefix.Parse("10.20.1.0/26")), sequence: 1, replace: false);
        var cloned = writer.Written.ToArray();
        BitConverter.TryWriteBytes(cloned.AsSpan(16 + 8), 0x200u); // RTM_F_CLONED
        var bridge = writer.Written.ToArray();
        bridge[16] = 7; // AF_BRIDGE

        Assert.False(Decode(cloned, out _));
        Assert.False(Decode(bridge, out _));
    }

    [Fact]
    public void A_payload_shorter_than_rtmsg_is_not_a_route_and_a_malformed_attribute_tail_is_ignored()
    {
        using var writer = new NetlinkWriter();
        writer.BeginMessage(type: 24, flags: 0, sequence: 1);
        writer.Reserve(8);
        writer.EndMessage();
        var shortPayload = writer.Written.ToArray();
        writer.Reset();
        RouteCodec.WriteNew(writer, Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), 5), sequence: 1, replace: false);
        // Claim the last attribute (RTA_OIF) runs past the end of the message.
        var malformed = writer.Written.ToArray();
        malformed[^8] = 40;

        Assert.False(Decode(shortPayload, out _));
        Assert.True(Decode(malformed, out var route));
        Assert.Equal(IpPrefix.Parse("10.20.1.2/32"), route.Destination);
        Assert.Equal(0, route.InterfaceIndex);
    }

    private static Route RoundTrip(Route route)
    {
        using var writer = new NetlinkWriter();
        RouteCodec.WriteNew(writer, route, sequence: 1, replace: false);
        Assert.True(Decode(writer.Written.ToArray(), out var decoded));
        return decoded;
    }

    private static bool Decode(byte[] bytes, out Route route)
    {
        ReadOnlySpan<byte> data = bytes;
        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        return RouteCodec.TryParse(message, out route);
    }
}
