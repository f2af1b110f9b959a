using Tabby.Bgp.Wire;
using static Tabby.Bgp.Tests.Wire.WireBytes;

namespace Tabby.Bgp.Tests.Wire;

public class BgpHeaderTests
{
    private static readonly BgpCodecContext s_ctx = BgpCodecContext.Default;

    [Fact]
    public void Keepalive_round_trips_as_the_bare_header()
    {
        var bytes = Hex(
            "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF" + // marker: 16 x 0xFF
            "0013" +                                 // length 19
            "04");                                   // type 4 KEEPALIVE
        Assert.IsType<BgpKeepalive>(BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal(bytes, BgpMessageEncoder.Encode(BgpKeepalive.Instance, s_ctx));
    }

    [Fact]
    public void TryRead_waits_for_a_whole_header()
    {
        Assert.False(BgpHeader.TryRead(new byte[18], out _, out _));
        var keepalive = BgpMessageEncoder.Encode(BgpKeepalive.Instance, s_ctx);
        Assert.True(BgpHeader.TryRead(keepalive, out var type, out var length));
        Assert.Equal(BgpMessageType.Keepalive, type);
        Assert.Equal(19, length);
    }

    [Fact]
    public void Bad_marker_is_connection_not_synchronized()
    {
        var bytes = BgpMessageEncoder.Encode(BgpKeepalive.Instance, s_ctx);
        bytes[5] = 0xFE;
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)1), (e.Code, e.Subcode));
    }

    [Theory]
    [InlineData(18)]
    [InlineData(4097)]
    public void Length_outside_19_to_4096_is_bad_message_length_with_the_length_as_data(int length)
    {
        var bytes = Hex("FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 0000 04");
        bytes[16] = (byte)(length >> 8);
        bytes[17] = (byte)length;
        var e = Assert.Throws<BgpWireException>(() => BgpHeader.TryRead(bytes, out _, out _));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)2), (e.Code, e.Subcode));
        Assert.Equal(new[] { (byte)(length >> 8), (byte)length }, e.NotificationData);
    }

    [Fact]
    public void Keepalive_longer_than_19_is_bad_message_length()
    {
        var bytes = Message(4, [0x00]);
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)2), (e.Code, e.Subcode));
    }

    [Fact]
    public void Open_shorter_than_29_is_bad_message_length()
    {
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(Message(1, new byte[9]), s_ctx));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)2), (e.Code, e.Subcode));
    }

    [Fact]
    public void Unknown_type_is_bad_message_type_with_the_type_as_data()
    {
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(Message(9, []), s_ctx));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)3), (e.Code, e.Subcode));
        Assert.Equal(new byte[] { 9 }, e.NotificationData);
    }

    [Fact]
    public void Header_length_disagreeing_with_the_bytes_is_bad_message_length()
    {
        var bytes = BgpMessageEncoder.Encode(BgpKeepalive.Instance, s_ctx).Concat(new byte[] { 0 }).ToArray();
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)2), (e.Code, e.Subcode));
    }

    [Fact]
    public void Notification_round_trips_and_names_its_codes()
    {
        var bytes = Hex(
            "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF" + // marker
            "0017" +                                 // length 23
            "03" +                                   // type 3 NOTIFICATION
            "02" +                                   // code 2 OPEN Message Error
            "01" +                                   // subcode 1 Unsupported Version Number
            "0004");                                 // data: largest supported version, 4
        var n = Assert.IsType<BgpNotification>(BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal(BgpErrorCode.OpenMessage, n.Code);
        Assert.Equal(1, n.Subcode);
        Assert.Equal(new byte[] { 0, 4 }, n.Data.ToArray());
        Assert.Equal("2/1 OPEN Message Error: Unsupported Version Number", n.Description);
        Assert.Equal(bytes, BgpMessageEncoder.Encode(n, s_ctx));
    }

    [Fact]
    public void Every_rfc4271_subcode_has_a_name()
    {
        foreach (var (code, max) in new[] { (BgpErrorCode.MessageHeader, 3), (BgpErrorCode.OpenMessage, 7), (BgpErrorCode.UpdateMessage, 11), (BgpErrorCode.Cease, 10) })
        {
            for (byte s = 1; s <= max; s++)
                Assert.DoesNotContain("Unknown", BgpErrorNames.SubcodeName(code, s), StringComparison.Ordinal);
        }
        Assert.Equal("Hold Timer Expired", BgpErrorNames.CodeName(BgpErrorCode.HoldTimerExpired));
        Assert.Equal("Finite State Machine Error", BgpErrorNames.CodeName(BgpErrorCode.FiniteStateMachine));
    }

    [Fact]
    public void Route_refresh_round_trips()
    {
        var bytes = Hex(
            "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF" + // marker
            "0017" +                                 // length 23
            "05" +                                   // type 5 ROUTE-REFRESH
            "0002" +                                 // AFI 2 IPv6
            "00" +                                   // reserved
            "01");                                   // SAFI 1 unicast
        var rr = Assert.IsType<BgpRouteRefresh>(BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal(BgpFamily.Ipv6Unicast, rr.Family);
        Assert.Equal(bytes, BgpMessageEncoder.Encode(rr, s_ctx));
    }

    [Fact]
    public void Exception_converts_to_the_notification_to_send()
    {
        var e = Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(Message(9, []), s_ctx));
        var n = e.ToNotification();
        Assert.Equal(BgpErrorCode.MessageHeader, n.Code);
        Assert.Equal(3, n.Subcode);
        Assert.Equal(new byte[] { 9 }, n.Data.ToArray());
    }

    [Fact]
    public void Cease_carries_a_shutdown_communication()
    {
        var n = BgpNotification.Cease(CeaseSubcode.AdministrativeShutdown, "maintenance ✓");
        var bytes = BgpMessageEncoder.Encode(n, s_ctx);
        Assert.Equal(0x06, bytes[19]);                  // code 6 Cease
        Assert.Equal(0x02, bytes[20]);                  // subcode 2 Administrative Shutdown
        Assert.Equal(bytes.Length - 22, bytes[21]);     // length octet, then UTF-8 text
        var back = Assert.IsType<BgpNotification>(BgpMessageDecoder.Decode(bytes, s_ctx));
        Assert.Equal("maintenance ✓", back.ShutdownMessage);
        Assert.Null(new BgpNotification(BgpErrorCode.Cease, 2, new byte[] { 5, 0x41 }).ShutdownMessage);
    }
}
