using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Wire.WireBytes;

namespace Tabby.Bgp.Tests.Wire;

public class BgpUpdateTests
{
    private static readonly BgpCodecContext s_four = BgpCodecContext.Default;
    private static readonly BgpCodecContext s_two = BgpCodecContext.TwoOctet;

    // An IPv4 UPDATE between 4-octet speakers.
    private static readonly byte[] s_update = Hex(
        "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF" +    // marker
        "0064" +                                    // length 100
        "02" +                                      // type 2 UPDATE
        "0000" +                                    // withdrawn routes length 0
        "0044" +                                    // total path attribute length 68
        "40 01 01 00" +                             // ORIGIN (well-known transitive), len 1: IGP
        "40 02 0E 02 03 0000FDE8 FA56EA01 0000FDE9" + // AS_PATH len 14: AS_SEQUENCE of 3: 65000 4200000001 65001
        "40 03 04 C0A8000B" +                       // NEXT_HOP len 4: 192.168.0.11
        "80 04 04 00000064" +                       // MULTI_EXIT_DISC (optional non-transitive): 100
        "40 05 04 000000C8" +                       // LOCAL_PREF: 200
        "C0 08 08 FDE80001 FFFFFF01" +              // COMMUNITIES (optional transitive): 65000:1, NO_EXPORT
        "C0 20 0C FA56EA01 00000001 00000002" +     // LARGE_COMMUNITY: 4200000001:1:2
        "18 0A1401" +                               // NLRI 10.20.1.0/24
        "20 0A140205");                             // NLRI 10.20.2.5/32

    private static PathAttributes ExpectedAttributes => new()
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(65000, 4200000001, 65001),
        NextHop = IPAddress.Parse("192.168.0.11"),
        Med = 100,
        LocalPref = 200,
        Communities = new[] { new Community(65000, 1), Community.NoExport },
        LargeCommunities = new[] { new LargeCommunity(4200000001, 1, 2) },
    };

    [Fact]
    public void Decodes_every_field_of_an_ipv4_update()
    {
        var u = BgpMessageDecoder.DecodeUpdate(s_update, s_four);
        Assert.False(u.TreatAsWithdraw);
        Assert.Equal(ExpectedAttributes, u.Attributes);
        Assert.Equal([IpPrefix.Parse("10.20.1.0/24"), IpPrefix.Parse("10.20.2.5/32")], u.Nlri.ToArray());
        Assert.Empty(u.WithdrawnRoutes);
        Assert.Equal(3, u.Attributes.AsPath!.Length);
        Assert.Equal(65000u, u.Attributes.AsPath.NeighborAs);
    }

    [Fact]
    public void Encodes_the_same_bytes()
    {
        var u = new BgpUpdate { Attributes = ExpectedAttributes, Nlri = new[] { IpPrefix.Parse("10.20.1.0/24"), IpPrefix.Parse("10.20.2.5/32") } };
        Assert.Equal(ToHex(s_update), ToHex(BgpMessageEncoder.Encode(u, s_four)));
    }

    [Fact]
    public void Two_octet_peer_gets_as_trans_and_as4_path_and_merges_back()
    {
        var u = new BgpUpdate { Attributes = ExpectedAttributes, Nlri = new[] { IpPrefix.Parse("10.20.1.0/24") } };
        var bytes = BgpMessageEncoder.Encode(u, s_two);
        var hex = ToHex(bytes);
        Assert.Contains("4002080203FDE85BA0FDE9", hex, StringComparison.Ordinal);            // AS_PATH: 65000 23456 65001 in 2 octets
        Assert.Contains("C0110E02030000FDE8FA56EA010000FDE9", hex, StringComparison.Ordinal); // AS4_PATH with the real ASes
        Assert.Equal(u, BgpMessageDecoder.DecodeUpdate(bytes, s_two));
    }

    [Fact]
    public void As4_path_merge_keeps_asns_prepended_by_an_old_speaker()
    {
        var bytes = Update("",
            "40 01 01 00" +                                   // ORIGIN IGP
            "40 02 0A 02 04 FDF2 FDE8 5BA0 FDE9" +            // AS_PATH (2-octet): 65010 65000 23456 65001
            "40 03 04 0A000001" +                             // NEXT_HOP 10.0.0.1
            "C0 11 0E 02 03 0000FDE8 FA56EA01 0000FDE9",      // AS4_PATH: 65000 4200000001 65001
            "08 0A");                                         // NLRI 10.0.0.0/8
        var path = BgpMessageDecoder.DecodeUpdate(bytes, s_two).Attributes.AsPath!;
        Assert.Equal("65010 65000 4200000001 65001", path.ToString());
        Assert.Equal(4, path.Length);
    }

    [Fact]
    public void As4_path_longer_than_as_path_is_ignored()
    {
        var bytes = Update("",
            "40 01 01 00 40 02 04 02 01 5BA0 40 03 04 0A000001" + // AS_PATH: 23456
            "C0 11 0A 02 02 FA56EA01 FA56EA02",                  // AS4_PATH with two ASes
            "08 0A");
        Assert.Equal("23456", BgpMessageDecoder.DecodeUpdate(bytes, s_two).Attributes.AsPath!.ToString());
    }

    [Fact]
    public void As4_aggregator_replaces_an_as_trans_aggregator()
    {
        var bytes = Update("",
            "40 01 01 00 40 02 04 02 01 5BA0 40 03 04 0A000001" +
            "C0 07 06 5BA0 0A000002" +          // AGGREGATOR (2-octet): AS_TRANS, 10.0.0.2
            "C0 12 08 FA56EA01 0A000002",       // AS4_AGGREGATOR: 4200000001, 10.0.0.2
            "08 0A");
        var a = BgpMessageDecoder.DecodeUpdate(bytes, s_two).Attributes;
        Assert.Equal(new Aggregator(4200000001, IPAddress.Parse("10.0.0.2")), a.Aggregator);
        var again = BgpMessageEncoder.Encode(new BgpUpdate { Attributes = a, Nlri = new[] { IpPrefix.Parse("10.0.0.0/8") } }, s_two);
        Assert.Contains("C00706" + "5BA0" + "0A000002", ToHex(again), StringComparison.Ordinal);
        Assert.Contains("C01208" + "FA56EA01" + "0A000002", ToHex(again), StringComparison.Ordinal);
    }

    [Fact]
    public void As4_attributes_are_ignored_if_the_aggregator_is_a_real_two_octet_as()
    {
        var bytes = Update("",
            "40 01 01 00 40 02 06 02 02 FDE8 5BA0 40 03 04 0A000001" +
            "C0 07 06 FDE8 0A000002" +          // AGGREGATOR: 65000 (not AS_TRANS)
            "C0 11 0A 02 02 0000FDE8 FA56EA01" + // AS4_PATH
            "C0 12 08 FA56EA01 0A000002",       // AS4_AGGREGATOR
            "08 0A");
        var a = BgpMessageDecoder.DecodeUpdate(bytes, s_two).Attributes;
        Assert.Equal(65000u, a.Aggregator!.As);
        Assert.Equal("65000 23456", a.AsPath!.ToString());
    }

    [Fact]
    public void As4_path_from_a_four_octet_peer_is_discarded()
    {
        var bytes = Update("", "40 01 01 00 40 02 06 02 01 0000FDE8 40 03 04 0A000001 C0 11 06 02 01 0000FDE9", "08 0A");
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.Equal("65000", u.Attributes.AsPath!.ToString());
        Assert.Equal([(byte)17], u.DiscardedAttributes.ToArray());
    }

    [Fact]
    public void Ipv6_mp_reach_with_global_and_link_local_next_hop()
    {
        var bytes = Update("",
            "80 0E 2E" +                              // MP_REACH_NLRI (optional non-transitive), len 46
            "0002 01" +                               //   AFI 2 IPv6, SAFI 1 unicast
            "20" +                                    //   next hop length 32 = global + link-local
            "20010DB8000000000000000000000001" +      //   global 2001:db8::1
            "FE800000000000000000000000000001" +      //   link-local fe80::1
            "00" +                                    //   reserved
            "40 20010DB800010000" +                   //   NLRI 2001:db8:1::/64
            "40 01 01 00" +                           // ORIGIN IGP
            "40 02 06 02 01 0000FDE8",                // AS_PATH 65000
            "");
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.False(u.TreatAsWithdraw);
        Assert.Equal(BgpFamily.Ipv6Unicast, u.MpReach!.Family);
        Assert.Equal([IpPrefix.Parse("2001:db8:1::/64")], u.MpReach.Prefixes.ToArray());
        Assert.Equal(new BgpNextHop(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1")), u.Attributes.MpNextHop);
        Assert.Equal([IpPrefix.Parse("2001:db8:1::/64")], u.Announced());

        // The encoder always sets Extended Length on MP_REACH_NLRI (so packing can size it); otherwise the bytes match.
        var encoded = BgpMessageEncoder.Encode(u, s_four);
        // 19-byte header + 2 withdrawn length + 2 attribute length = 46 hex digits before the attributes.
        Assert.Equal(bytes.Length + 1, encoded.Length);
        Assert.Equal("900E002E", ToHex(encoded)[46..54]);
        Assert.Equal(ToHex(bytes)[52..], ToHex(encoded)[54..]);
        Assert.Equal(u, BgpMessageDecoder.DecodeUpdate(encoded, s_four));
    }

    [Fact]
    public void Ipv6_mp_reach_with_a_16_byte_next_hop()
    {
        var bytes = Update("", "80 0E 1C 0002 01 10 20010DB8000000000000000000000001 00 30 20010DB80002 40 01 01 00 40 02 00", "");
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.Null(u.Attributes.MpNextHop!.LinkLocal);
        Assert.Equal([IpPrefix.Parse("2001:db8:2::/48")], u.MpReach!.Prefixes.ToArray());
    }

    [Fact]
    public void Ipv6_withdrawal_in_mp_unreach()
    {
        var bytes = Update("", "80 0F 0C 0002 01 40 20010DB800010000", ""); // MP_UNREACH AFI 2 SAFI 1, 2001:db8:1::/64
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.Equal([IpPrefix.Parse("2001:db8:1::/64")], u.Withdrawn());
        Assert.False(u.IsEndOfRib(out _));
    }

    [Fact]
    public void Ipv4_withdrawal_in_the_classic_field()
    {
        var bytes = Update("18 0A1401 00", "", ""); // 10.20.1.0/24 and 0.0.0.0/0
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.Equal([IpPrefix.Parse("10.20.1.0/24"), IpPrefix.Parse("0.0.0.0/0")], u.WithdrawnRoutes.ToArray());
        Assert.Equal(bytes, BgpMessageEncoder.Encode(u, s_four));
    }

    [Fact]
    public void End_of_rib_markers_are_recognised_and_built()
    {
        var v4 = Hex("FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 0017 02 0000 0000"); // empty UPDATE
        Assert.True(BgpMessageDecoder.DecodeUpdate(v4, s_four).IsEndOfRib(out var f4));
        Assert.Equal(BgpFamily.Ipv4Unicast, f4);
        Assert.Equal(v4, BgpUpdatePacker.EndOfRib(BgpFamily.Ipv4Unicast));

        var v6 = Update("", "80 0F 03 0002 01", ""); // MP_UNREACH with no NLRI
        Assert.True(BgpMessageDecoder.DecodeUpdate(v6, s_four).IsEndOfRib(out var f6));
        Assert.Equal(BgpFamily.Ipv6Unicast, f6);
        Assert.True(BgpMessageDecoder.DecodeUpdate(BgpUpdatePacker.EndOfRib(BgpFamily.Ipv6Unicast), s_four).IsEndOfRib(out f6));
        Assert.Equal(BgpFamily.Ipv6Unicast, f6);

        Assert.False(BgpMessageDecoder.DecodeUpdate(s_update, s_four).IsEndOfRib(out _));
    }

    [Fact]
    public void Extended_length_attributes_decode_and_short_ones_encode_compact()
    {
        var bytes = Update("", "50 01 0001 00 40 02 00 40 03 04 0A000001", "08 0A"); // ORIGIN with Extended Length set
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        Assert.Equal(BgpOrigin.Igp, u.Attributes.Origin);
        Assert.StartsWith(ToHex(Hex("0000 000E 40010100")), ToHex(BgpMessageEncoder.Encode(u, s_four))[38..], StringComparison.Ordinal);
    }

    [Fact]
    public void Long_attributes_use_extended_length_on_encode()
    {
        var communities = Enumerable.Range(0, 100).Select(i => new Community(65000, (ushort)i)).ToArray();
        var u = new BgpUpdate { Attributes = ExpectedAttributes with { Communities = communities }, Nlri = new[] { IpPrefix.Parse("10.0.0.0/8") } };
        var bytes = BgpMessageEncoder.Encode(u, s_four);
        Assert.Contains("D0080190", ToHex(bytes), StringComparison.Ordinal); // flags C0|10, type 8, length 400
        Assert.Equal(u, BgpMessageDecoder.DecodeUpdate(bytes, s_four));
    }

    [Fact]
    public void Unknown_optional_transitive_attribute_passes_through_with_partial_set()
    {
        var bytes = Update("", "40 01 01 00 40 02 00 40 03 04 0A000001 C0 63 02 ABCD", "08 0A"); // type 99, optional transitive
        var u = BgpMessageDecoder.DecodeUpdate(bytes, s_four);
        var raw = Assert.Single(u.Attributes.Unknown);
        Assert.Equal(99, raw.TypeCode);
        Assert.True(raw.Flags.HasFlag(PathAttributeFlags.Partial));
        Assert.Contains("E06302ABCD", ToHex(BgpMessageEncoder.Encode(u, s_four)), StringComparison.Ordinal); // Partial bit now set
    }

    [Fact]
    public void Unknown_optional_non_transitive_attribute_is_dropped()
    {
        var bytes = Update("", "40 01 01 00 40 02 00 40 03 04 0A000001 80 63 02 ABCD", "08 0A");
        Assert.Empty(BgpMessageDecoder.DecodeUpdate(bytes, s_four).Attributes.Unknown);
    }

    [Fact]
    public void Originator_id_cluster_list_atomic_aggregate_and_aggregator_round_trip()
    {
        var a = ExpectedAttributes with
        {
            OriginatorId = Ip("10.0.0.9"),
            ClusterList = new uint[] { 1, 2 },
            AtomicAggregate = true,
            Aggregator = new Aggregator(4200000001, IPAddress.Parse("10.0.0.7")),
        };
        var u = new BgpUpdate { Attributes = a, Nlri = new[] { IpPrefix.Parse("10.0.0.0/8") } };
        var hex = ToHex(BgpMessageEncoder.Encode(u, s_four));
        Assert.Contains("800904" + "0A000009", hex, StringComparison.Ordinal);            // ORIGINATOR_ID
        Assert.Contains("800A08" + "00000001" + "00000002", hex, StringComparison.Ordinal); // CLUSTER_LIST
        Assert.Contains("400600", hex, StringComparison.Ordinal);                         // ATOMIC_AGGREGATE
        Assert.Contains("C00708" + "FA56EA01" + "0A000007", hex, StringComparison.Ordinal); // AGGREGATOR, 4-octet
        Assert.Equal(u, BgpMessageDecoder.DecodeUpdate(BgpMessageEncoder.Encode(u, s_four), s_four));
    }

    [Fact]
    public void Ebgp_context_discards_local_pref_originator_id_and_cluster_list()
    {
        var bytes = Update("", "40 01 01 00 40 02 06 02 01 0000FDE8 40 03 04 0A000001 40 05 04 00000064 80 09 04 01020304 80 0A 04 01020304", "08 0A");
        var u = BgpMessageDecoder.DecodeUpdate(bytes, new BgpCodecContext(FourOctetAs: true, ExternalPeer: true));
        Assert.Null(u.Attributes.LocalPref);
        Assert.Null(u.Attributes.OriginatorId);
        Assert.Empty(u.Attributes.ClusterList);
        Assert.Equal([(byte)5, (byte)9, (byte)10], u.DiscardedAttributes.ToArray());
        Assert.False(u.TreatAsWithdraw);
    }

    [Fact]
    public void Prefix_host_bits_beyond_the_length_are_ignored()
    {
        var u = BgpMessageDecoder.DecodeUpdate(Update("", "40 01 01 00 40 02 00 40 03 04 0A000001", "09 0AFF"), s_four); // 10.255/9
        Assert.Equal(IpPrefix.Parse("10.128.0.0/9"), u.Nlri[0]);
    }
}
