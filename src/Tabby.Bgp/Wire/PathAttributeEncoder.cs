using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>Writes path attributes in type order, recreating AS4_PATH/AS4_AGGREGATOR and AS_TRANS for 2-octet peers (RFC 6793 4.2.2).</summary>
internal static class PathAttributeEncoder
{
    private const PathAttributeFlags WellKnown = PathAttributeFlags.Transitive;
    private const PathAttributeFlags OptionalTransitive = PathAttributeFlags.Optional | PathAttributeFlags.Transitive;
    private const PathAttributeFlags OptionalNonTransitive = PathAttributeFlags.Optional;

    /// <summary>Writes every attribute except MP_REACH_NLRI/MP_UNREACH_NLRI.</summary>
    public static void Write(ByteWriter w, PathAttributes a, BgpCodecContext context)
    {
        var four = context.FourOctetAs;
        if (a.Origin is { } origin)
        {
            Header(w, WellKnown, PathAttributeType.Origin, 1);
            w.U8((byte)origin);
        }
        if (a.AsPath is { } path)
            WriteAsPath(w, PathAttributeType.AsPath, WellKnown, path, four ? 4 : 2, includeConfed: true);
        if (a.NextHop is { } nh)
        {
            if (nh.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException("NEXT_HOP must be an IPv4 address; IPv6 next hops go in MpNextHop.", nameof(a));
            Header(w, WellKnown, PathAttributeType.NextHop, 4);
            WriteAddress(w, nh);
        }
        if (a.Med is { } med)
        {
            Header(w, OptionalNonTransitive, PathAttributeType.MultiExitDisc, 4);
            w.U32(med);
        }
        if (a.LocalPref is { } lp)
        {
            Header(w, WellKnown, PathAttributeType.LocalPref, 4);
            w.U32(lp);
        }
        if (a.AtomicAggregate)
            Header(w, WellKnown, PathAttributeType.AtomicAggregate, 0);
        if (a.Aggregator is { } agg)
        {
            if (agg.Address.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException("the AGGREGATOR address must be IPv4.", nameof(a));
            Header(w, OptionalTransitive, PathAttributeType.Aggregator, four ? 8 : 6);
            if (four)
                w.U32(agg.As);
            else
                w.U16(agg.As > ushort.MaxValue ? BgpOpen.AsTrans : (ushort)agg.As);
            WriteAddress(w, agg.Address);
        }
        if (!a.Communities.IsEmpty)
        {
            Header(w, OptionalTransitive, PathAttributeType.Communities, a.Communities.Count * 4);
            foreach (var c in a.Communities)
                w.U32(c.Value);
        }
        if (a.OriginatorId is { } oid)
        {
            Header(w, OptionalNonTransitive, PathAttributeType.OriginatorId, 4);
            w.U32(oid);
        }
        if (!a.ClusterList.IsEmpty)
        {
            Header(w, OptionalNonTransitive, PathAttributeType.ClusterList, a.ClusterList.Count * 4);
            foreach (var c in a.ClusterList)
                w.U32(c);
        }
        if (!four && a.AsPath is { NeedsAs4Path: true } p4)
            WriteAsPath(w, PathAttributeType.As4Path, OptionalTransitive, p4, 4, includeConfed: false);
        if (!four && a.Aggregator is { As: > ushort.MaxValue } agg4)
        {
            Header(w, OptionalTransitive, PathAttributeType.As4Aggregator, 8);
            w.U32(agg4.As);
            WriteAddress(w, agg4.Address);
        }
        if (!a.LargeCommunities.IsEmpty)
        {
            Header(w, OptionalTransitive, PathAttributeType.LargeCommunity, a.LargeCommunities.Count * 12);
            foreach (var c in a.LargeCommunities)
            {
                w.U32(c.GlobalAdministrator);
                w.U32(c.LocalData1);
                w.U32(c.LocalData2);
            }
        }
        foreach (var u in a.Unknown)
        {
            // RFC 4271 5: an unrecognised transitive attribute is passed on with Partial set.
            Header(w, (u.Flags & ~PathAttributeFlags.ExtendedLength) | PathAttributeFlags.Partial, u.TypeCode, u.Value.Count);
            w.Bytes(u.Value.AsSpan());
        }
    }

    /// <summary>Writes MP_REACH_NLRI with an extended length so the caller can size it before knowing the NLRI.</summary>
    public static void WriteMpReach(ByteWriter w, BgpFamily family, BgpNextHop nextHop, ReadOnlySpan<IpPrefix> prefixes)
    {
        var nhLength = MpNextHopLength(family, nextHop);
        var nlriLength = 0;
        foreach (var p in prefixes)
            nlriLength += NlriCodec.WireSize(p);
        Header(w, OptionalNonTransitive | PathAttributeFlags.ExtendedLength, (byte)PathAttributeType.MpReachNlri, 5 + nhLength + nlriLength, forceExtended: true);
        w.U16(family.Afi);
        w.U8(family.Safi);
        w.U8((byte)nhLength);
        WriteAddress(w, nextHop.Global);
        if (nextHop.LinkLocal is { } ll)
            WriteAddress(w, ll);
        w.U8(0);
        foreach (var p in prefixes)
            NlriCodec.Write(w, p);
    }

    public static void WriteMpUnreach(ByteWriter w, BgpFamily family, ReadOnlySpan<IpPrefix> prefixes)
    {
        var nlriLength = 0;
        foreach (var p in prefixes)
            nlriLength += NlriCodec.WireSize(p);
        Header(w, OptionalNonTransitive | PathAttributeFlags.ExtendedLength, (byte)PathAttributeType.MpUnreachNlri, 3 + nlriLength, forceExtended: true);
        w.U16(family.Afi);
        w.U8(family.Safi);
        foreach (var p in prefixes)
            NlriCodec.Write(w, p);
    }

    /// <summary>Fixed bytes of an MP_REACH_NLRI before its NLRI: 4 header + AFI/SAFI/length 4 + next hop + reserved 1.</summary>
    public static int MpReachOverhead(BgpFamily family, BgpNextHop nextHop) => 4 + 4 + MpNextHopLength(family, nextHop) + 1;

    public const int MpUnreachOverhead = 4 + 3;

    private static int MpNextHopLength(BgpFamily family, BgpNextHop nextHop)
    {
        var v6 = nextHop.Global.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && (family.IsIpv6 || nextHop.LinkLocal is not null))
            throw new ArgumentException($"an IPv4 next hop {nextHop} cannot carry {family} or a link-local address", nameof(nextHop));
        if (nextHop.LinkLocal is { AddressFamily: not AddressFamily.InterNetworkV6 })
            throw new ArgumentException("the link-local next hop must be IPv6", nameof(nextHop));
        return v6 ? (nextHop.LinkLocal is null ? 16 : 32) : 4;
    }

    private static void WriteAsPath(ByteWriter w, PathAttributeType type, PathAttributeFlags flags, AsPath path, int asSize, bool includeConfed)
    {
        var length = 0;
        foreach (var s in path.Segments)
        {
            if (!includeConfed && s.IsConfederation)
                continue;
            var n = s.Asns.Count;
            length += (2 * ((n + AsPathSegment.MaxAsns - 1) / AsPathSegment.MaxAsns)) + (n * asSize);
        }
        Header(w, flags, (byte)type, length);
        foreach (var s in path.Segments)
        {
            if (!includeConfed && s.IsConfederation)
                continue;
            var asns = s.Asns.AsSpan();
            // Segments hold at most 255 ASes; longer ones (from prepending) are split.
            for (var start = 0; start < asns.Length; start += AsPathSegment.MaxAsns)
            {
                var chunk = asns.Slice(start, Math.Min(AsPathSegment.MaxAsns, asns.Length - start));
                w.U8((byte)s.Type);
                w.U8((byte)chunk.Length);
                foreach (var asn in chunk)
                {
                    if (asSize == 4)
                        w.U32(asn);
                    else
                        w.U16(asn > ushort.MaxValue ? BgpOpen.AsTrans : (ushort)asn);
                }
            }
        }
    }

    private static void Header(ByteWriter w, PathAttributeFlags flags, PathAttributeType type, int length) => Header(w, flags, (byte)type, length);

    private static void Header(ByteWriter w, PathAttributeFlags flags, byte type, int length, bool forceExtended = false)
    {
        if (length > ushort.MaxValue)
            throw new ArgumentException($"attribute {type} is {length} bytes, over the 65535 an attribute can carry");
        var extended = forceExtended || length > byte.MaxValue;
        w.U8((byte)(extended ? flags | PathAttributeFlags.ExtendedLength : flags & ~PathAttributeFlags.ExtendedLength));
        w.U8(type);
        if (extended)
            w.U16((ushort)length);
        else
            w.U8((byte)length);
    }

    private static void WriteAddress(ByteWriter w, IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var n);
        w.Bytes(b[..n]);
    }
}
