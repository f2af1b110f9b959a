using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Wire.WireBytes;

namespace Tabby.Bgp.Tests.Wire;

/// <summary>Malformed UPDATEs: session reset (RFC 4271 6.3), treat-as-withdraw and attribute discard (RFC 7606).</summary>
public class BgpUpdateErrorTests
{
    private static readonly BgpCodecContext s_four = BgpCodecContext.Default;

    private const string Origin = "40 01 01 00";                  // ORIGIN IGP
    private const string Path = "40 02 06 02 01 0000FDE8";        // AS_PATH 65000 (4-octet)
    private const string NextHop = "40 03 04 0A000001";           // NEXT_HOP 10.0.0.1
    private const string Valid = Origin + Path + NextHop;
    private const string Nlri = "18 0A1401";                      // 10.20.1.0/24

    private static BgpWireException Reset(byte[] bytes, BgpCodecContext? ctx = null) =>
        Assert.Throws<BgpWireException>(() => BgpMessageDecoder.Decode(bytes, ctx ?? s_four));

    private static BgpUpdate Withdrawn(byte[] bytes, UpdateSubcode expected)
    {
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.True(u.TreatAsWithdraw, "expected treat-as-withdraw");
        Assert.Equal(expected, u.TreatAsWithdrawError!.Subcode);
        Assert.Empty(u.Announced());
        return u;
    }

    // --- session reset ---------------------------------------------------------------------

    [Fact]
    public void Withdrawn_length_past_the_message_is_malformed_attribute_list()
    {
        var bytes = Update("", "", "");
        bytes[20] = 0x10; // withdrawn length 16 with nothing there
        var e = Reset(bytes);
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)1), (e.Code, e.Subcode));
    }

    [Fact]
    public void Attribute_length_past_the_message_is_malformed_attribute_list()
    {
        var bytes = Update("", Valid, "");
        bytes[22] = 0x40; // total attribute length 64, only 21 present
        Assert.Equal(1, Reset(bytes).Subcode);
    }

    [Theory]
    [InlineData("21 0A000000 00")] // /33
    [InlineData("18 0A14")]        // /24 with only 2 address bytes
    public void Unparseable_nlri_is_invalid_network_field(string nlri)
    {
        var e = Reset(Update("", Valid, nlri));
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)10), (e.Code, e.Subcode));
    }

    [Fact]
    public void Unparseable_withdrawn_route_is_invalid_network_field()
    {
        Assert.Equal(10, Reset(Update("28 0A000000 00", "", "")).Subcode);
    }

    [Fact]
    public void Mp_reach_with_a_bad_next_hop_length_resets_the_session()
    {
        // AFI 2 SAFI 1 with a 5-byte next hop: the NLRI cannot be located (RFC 7606 7.11).
        var e = Reset(Update("", "80 0E 0A 0002 01 05 0102030405 00" + Origin + Path, ""));
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)9), (e.Code, e.Subcode));
    }

    [Fact]
    public void Mp_reach_with_unparseable_nlri_resets_the_session()
    {
        var e = Reset(Update("", "80 0E 17 0002 01 10 20010DB8000000000000000000000001 00 81 00" + Origin + Path, "")); // /129
        Assert.Equal(10, e.Subcode);
    }

    [Fact]
    public void Mp_reach_shorter_than_its_fixed_fields_resets_the_session()
    {
        Assert.Equal(9, Reset(Update("", "80 0E 02 0002", "")).Subcode);
    }

    [Fact]
    public void Repeated_mp_reach_is_malformed_attribute_list()
    {
        const string mp = "80 0E 15 0002 01 10 20010DB8000000000000000000000001 00";
        Assert.Equal(1, Reset(Update("", mp + mp + Origin + Path, "")).Subcode);
    }

    [Fact]
    public void Mp_reach_with_well_known_flags_is_attribute_flags_error()
    {
        Assert.Equal(4, Reset(Update("", "40 0E 15 0002 01 10 20010DB8000000000000000000000001 00" + Origin + Path, "")).Subcode);
    }

    [Fact]
    public void Unrecognised_well_known_attribute_resets_with_the_attribute_as_data()
    {
        var e = Reset(Update("", Valid + "40 63 01 AA", Nlri)); // type 99 with the Optional bit clear
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)2), (e.Code, e.Subcode));
        Assert.Equal(Hex("40 63 01 AA"), e.NotificationData);
    }

    // --- treat-as-withdraw -------------------------------------------------------------------

    [Fact]
    public void Bad_origin_value_is_treat_as_withdraw_and_the_nlri_is_withdrawn()
    {
        var u = Withdrawn(Update("", "40 01 01 03" + Path + NextHop, Nlri), UpdateSubcode.InvalidOriginAttribute);
        Assert.Equal([IpPrefix.Parse("10.20.1.0/24")], u.Withdrawn());
    }

    [Fact]
    public void Bad_origin_length_is_treat_as_withdraw()
    {
        Withdrawn(Update("", "40 01 02 0000" + Path + NextHop, Nlri), UpdateSubcode.AttributeLengthError);
    }

    [Fact]
    public void Origin_with_the_optional_flag_is_treat_as_withdraw()
    {
        Withdrawn(Update("", "C0 01 01 00" + Path + NextHop, Nlri), UpdateSubcode.AttributeFlagsError);
    }

    [Theory]
    [InlineData(Path + NextHop, "ORIGIN")]
    [InlineData(Origin + NextHop, "AS_PATH")]
    [InlineData(Origin + Path, "NEXT_HOP")]
    public void Missing_well_known_attribute_is_treat_as_withdraw(string attributes, string missing)
    {
        var u = Withdrawn(Update("", attributes, Nlri), UpdateSubcode.MissingWellKnownAttribute);
        Assert.Contains(missing, u.TreatAsWithdrawError!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_hop_is_not_required_when_only_mp_reach_announces()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", "80 0E 1A 0002 01 10 20010DB8000000000000000000000001 00 20 20010DB8" + Origin + Path, ""), s_four);
        Assert.False(u.TreatAsWithdraw);
    }

    [Fact]
    public void Mandatory_attributes_are_not_required_for_a_pure_withdrawal()
    {
        Assert.False(BgpMessageDecoder.DecodeUpdate(Update(Nlri, "", ""), s_four).TreatAsWithdraw);
    }

    [Theory]
    [InlineData("40 02 06 05 01 0000FDE8")]          // segment type 5
    [InlineData("40 02 06 02 00 0000FDE8")]          // segment of length 0
    [InlineData("40 02 06 02 02 0000FDE8")]          // segment overruns the attribute
    [InlineData("40 02 01 02")]                      // half a segment header
    public void Malformed_as_path_is_treat_as_withdraw(string path)
    {
        Withdrawn(Update("", Origin + path + NextHop, Nlri), UpdateSubcode.MalformedAsPath);
    }

    [Theory]
    [InlineData("40 03 05 0A00000101", UpdateSubcode.AttributeLengthError)]   // NEXT_HOP length 5
    [InlineData("80 04 03 000001", UpdateSubcode.AttributeLengthError)]       // MED length 3
    [InlineData("40 04 04 00000001", UpdateSubcode.AttributeFlagsError)]      // MED marked well-known
    [InlineData("40 05 03 000001", UpdateSubcode.AttributeLengthError)]       // LOCAL_PREF length 3
    [InlineData("C0 08 05 0000000100", UpdateSubcode.OptionalAttributeError)] // COMMUNITIES length 5
    [InlineData("C0 08 00", UpdateSubcode.OptionalAttributeError)]            // COMMUNITIES length 0
    [InlineData("C0 20 0D 00000001000000020000000300", UpdateSubcode.OptionalAttributeError)] // LARGE_COMMUNITY length 13
    [InlineData("80 09 03 010203", UpdateSubcode.AttributeLengthError)]       // ORIGINATOR_ID length 3
    [InlineData("80 0A 06 010203040506", UpdateSubcode.AttributeLengthError)] // CLUSTER_LIST length 6
    public void Malformed_attribute_is_treat_as_withdraw(string attribute, UpdateSubcode subcode)
    {
        var attributes = attribute.StartsWith("40 03", StringComparison.Ordinal) ? Origin + Path + attribute : Valid + attribute;
        Withdrawn(Update("", attributes, Nlri), subcode);
    }

    [Fact]
    public void Attribute_overrunning_the_attribute_field_is_treat_as_withdraw_and_nlri_is_still_found()
    {
        // The last attribute claims 9 bytes but only 4 remain before the NLRI.
        var u = Withdrawn(Update("", Valid + "C0 08 09 00000001", Nlri), UpdateSubcode.AttributeLengthError);
        Assert.Equal([IpPrefix.Parse("10.20.1.0/24")], u.Nlri.ToArray());
    }

    [Fact]
    public void Too_few_bytes_for_an_attribute_header_is_treat_as_withdraw()
    {
        Withdrawn(Update("", Valid + "C0 08", Nlri), UpdateSubcode.MalformedAttributeList);
    }

    [Theory]
    [InlineData("00000000")] // 0.0.0.0
    [InlineData("E0000001")] // 224.0.0.1 multicast
    [InlineData("FFFFFFFF")] // broadcast
    public void Non_unicast_next_hop_is_treat_as_withdraw(string nextHop)
    {
        var u = Withdrawn(Update("", Origin + Path + "40 03 04 " + nextHop, Nlri), UpdateSubcode.InvalidNextHopAttribute);
        Assert.Null(u.Attributes.NextHop);
    }

    [Fact]
    public void Bogus_next_hop_is_ignored_when_only_mp_reach_announces()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", "80 0E 1A 0002 01 10 20010DB8000000000000000000000001 00 20 20010DB8" + Origin + Path + "40 03 04 00000000", ""), s_four);
        Assert.False(u.TreatAsWithdraw);
        Assert.Null(u.Attributes.NextHop);
    }

    [Fact]
    public void Confederation_segments_from_an_external_peer_are_treat_as_withdraw()
    {
        var bytes = Update("", Origin + "40 02 0C 03 01 0000FC00 02 01 0000FDE8" + NextHop, Nlri); // (64512) 65000
        Assert.False(BgpMessageDecoder.DecodeUpdate(bytes, s_four).TreatAsWithdraw);
        var u = BgpMessageDecoder.DecodeUpdate(bytes, new BgpCodecContext(FourOctetAs: true, ExternalPeer: true));
        Assert.Equal(UpdateSubcode.MalformedAsPath, u.TreatAsWithdrawError!.Subcode);
    }

    [Fact]
    public void Treat_as_withdraw_covers_mp_reach_prefixes()
    {
        var u = Withdrawn(Update("", "80 0E 1A 0002 01 10 20010DB8000000000000000000000001 00 20 20010DB8" + "40 01 01 09" + Path, ""), UpdateSubcode.InvalidOriginAttribute);
        Assert.Equal([IpPrefix.Parse("2001:db8::/32")], u.Withdrawn());
    }

    // --- attribute discard ------------------------------------------------------------------

    [Fact]
    public void Malformed_atomic_aggregate_is_discarded()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", Valid + "40 06 01 00", Nlri), s_four);
        Assert.False(u.TreatAsWithdraw);
        Assert.False(u.Attributes.AtomicAggregate);
        Assert.Equal([(byte)6], u.DiscardedAttributes.ToArray());
    }

    [Fact]
    public void Malformed_aggregator_is_discarded()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", Valid + "C0 07 07 0000FDE8 0A0000", Nlri), s_four);
        Assert.False(u.TreatAsWithdraw);
        Assert.Null(u.Attributes.Aggregator);
        Assert.Equal([(byte)7], u.DiscardedAttributes.ToArray());
    }

    [Fact]
    public void Repeated_attribute_keeps_the_first()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", Valid + "C0 08 04 00000001 C0 08 04 00000002", Nlri), s_four);
        Assert.Equal([new Community(1)], u.Attributes.Communities.ToArray());
        Assert.Equal([(byte)8], u.DiscardedAttributes.ToArray());
    }

    [Fact]
    public void Malformed_as4_path_from_a_two_octet_peer_is_discarded()
    {
        var bytes = Update("", "40 01 01 00 40 02 04 02 01 FDE8" + NextHop + "C0 11 03 02 01 00", Nlri);
        var u = BgpMessageDecoder.DecodeUpdate(bytes, BgpCodecContext.TwoOctet);
        Assert.False(u.TreatAsWithdraw);
        Assert.Equal("65000", u.Attributes.AsPath!.ToString());
        Assert.Equal([(byte)17], u.DiscardedAttributes.ToArray());
    }

    [Fact]
    public void Malformed_as4_aggregator_is_discarded()
    {
        var bytes = Update("", "40 01 01 00 40 02 04 02 01 FDE8" + NextHop + "C0 12 07 FA56EA01 0A0000", Nlri);
        var u = BgpMessageDecoder.DecodeUpdate(bytes, BgpCodecContext.TwoOctet);
        Assert.False(u.TreatAsWithdraw);
        Assert.Equal([(byte)18], u.DiscardedAttributes.ToArray());
    }
}
