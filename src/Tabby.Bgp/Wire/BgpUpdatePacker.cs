using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>Packs one attribute set plus many prefixes (or many withdrawals) into as few UPDATEs as fit 4096 bytes each.</summary>
/// <remarks>
/// The attributes are encoded once and copied into each message. IPv4 prefixes go in the classic
/// NLRI field (NEXT_HOP required), IPv6 ones in MP_REACH_NLRI (<see cref="PathAttributes.MpNextHop"/> required).
/// </remarks>
public static class BgpUpdatePacker
{
    private const int UpdateFixed = BgpHeader.Length + 2 + 2;

    // The buffers messages are built in, one pair per thread and reused: each message is copied out at its exact size.
    // Fresh 4 KB buffers per call were most of the packing's garbage in a burst. (A mixed-family batch and an IPv6
    // group with a NEXT_HOP to drop still allocate, for the split and the trimmed attribute set.)
    [ThreadStatic]
    private static ByteWriter? t_message;
    [ThreadStatic]
    private static ByteWriter? t_attributes;

    /// <summary>Allocates this thread's buffers now, before the thread's first UPDATE is packed.</summary>
    public static void PrepareThread()
    {
        t_attributes ??= new ByteWriter(256);
        t_message ??= new ByteWriter(BgpHeader.MaxMessageLength);
    }

    /// <summary>UPDATEs announcing <paramref name="prefixes"/> with <paramref name="attributes"/>, in prefix order per family.</summary>
    public static List<byte[]> PackAnnouncements(PathAttributes attributes, ReadOnlySpan<IpPrefix> prefixes, BgpCodecContext context)
    {
        var result = new List<byte[]>();
        PackAnnouncements(attributes, prefixes, context, result);
        return result;
    }

    /// <summary>Appends to <paramref name="result"/> the UPDATEs announcing <paramref name="prefixes"/> with <paramref name="attributes"/>.</summary>
    public static void PackAnnouncements(PathAttributes attributes, ReadOnlySpan<IpPrefix> prefixes, BgpCodecContext context, List<byte[]> result)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (prefixes.IsEmpty)
            return;
        var attrWriter = t_attributes ??= new ByteWriter(256);
        attrWriter.Clear();
        PathAttributeEncoder.Write(attrWriter, attributes, context);
        var w = t_message ??= new ByteWriter(BgpHeader.MaxMessageLength);
        Split(prefixes, out var v4, out var v6);
        if (!v4.IsEmpty)
        {
            if (attributes.NextHop is null)
                throw new ArgumentException("IPv4 prefixes need a NEXT_HOP", nameof(attributes));
            var attrLength = attrWriter.Position;
            var room = BgpHeader.MaxMessageLength - UpdateFixed - attrLength;
            if (room < 5)
                throw new ArgumentException($"the attributes ({attrLength} bytes) leave no room for NLRI", nameof(attributes));
            for (int start = 0, end; start < v4.Length; start = end)
            {
                end = ChunkEnd(v4, start, room);
                w.Clear();
                w.Zeros(BgpHeader.Length);
                w.U16(0);
                w.U16((ushort)attrLength);
                w.Bytes(attrWriter.Written);
                for (var i = start; i < end; i++)
                    NlriCodec.Write(w, v4[i]);
                result.Add(Finish(w));
            }
        }
        if (!v6.IsEmpty)
        {
            var nh = attributes.MpNextHop ?? throw new ArgumentException("IPv6 prefixes need an MpNextHop", nameof(attributes));
            if (attributes.NextHop is not null)
            {
                // NEXT_HOP means nothing to an MP_REACH-only UPDATE (RFC 4760 3); leave it out.
                attrWriter.Clear();
                PathAttributeEncoder.Write(attrWriter, attributes with { NextHop = null }, context);
            }
            var attrLength = attrWriter.Position;
            var overhead = PathAttributeEncoder.MpReachOverhead(BgpFamily.Ipv6Unicast, nh);
            var room = BgpHeader.MaxMessageLength - UpdateFixed - attrLength - overhead;
            if (room < 17)
                throw new ArgumentException($"the attributes ({attrLength} bytes) leave no room for NLRI", nameof(attributes));
            for (int start = 0, end; start < v6.Length; start = end)
            {
                end = ChunkEnd(v6, start, room);
                var chunk = v6[start..end];
                w.Clear();
                w.Zeros(BgpHeader.Length);
                w.U16(0);
                w.U16((ushort)(overhead + NlriBytes(chunk) + attrLength));
                PathAttributeEncoder.WriteMpReach(w, BgpFamily.Ipv6Unicast, nh, chunk);
                w.Bytes(attrWriter.Written);
                result.Add(Finish(w));
            }
        }
    }

    /// <summary>UPDATEs withdrawing <paramref name="prefixes"/>: classic withdrawn routes for IPv4, MP_UNREACH_NLRI for IPv6.</summary>
    public static List<byte[]> PackWithdrawals(ReadOnlySpan<IpPrefix> prefixes)
    {
        var result = new List<byte[]>();
        PackWithdrawals(prefixes, result);
        return result;
    }

    /// <summary>Appends to <paramref name="result"/> the UPDATEs withdrawing <paramref name="prefixes"/>.</summary>
    public static void PackWithdrawals(ReadOnlySpan<IpPrefix> prefixes, List<byte[]> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Split(prefixes, out var v4, out var v6);
        var w = t_message ??= new ByteWriter(BgpHeader.MaxMessageLength);
        for (int start = 0, end; start < v4.Length; start = end)
        {
            end = ChunkEnd(v4, start, BgpHeader.MaxMessageLength - UpdateFixed);
            w.Clear();
            w.Zeros(BgpHeader.Length);
            var at = w.Position;
            w.U16(0);
            for (var i = start; i < end; i++)
                NlriCodec.Write(w, v4[i]);
            w.PatchU16(at, (ushort)(w.Position - at - 2));
            w.U16(0);
            result.Add(Finish(w));
        }
        for (int start = 0, end; start < v6.Length; start = end)
        {
            end = ChunkEnd(v6, start, BgpHeader.MaxMessageLength - UpdateFixed - PathAttributeEncoder.MpUnreachOverhead);
            var chunk = v6[start..end];
            w.Clear();
            w.Zeros(BgpHeader.Length);
            w.U16(0);
            w.U16((ushort)(PathAttributeEncoder.MpUnreachOverhead + NlriBytes(chunk)));
            PathAttributeEncoder.WriteMpUnreach(w, BgpFamily.Ipv6Unicast, chunk);
            result.Add(Finish(w));
        }
    }

    /// <summary>The End-of-RIB marker for a family, encoded.</summary>
    public static byte[] EndOfRib(BgpFamily family) => BgpMessageEncoder.Encode(BgpUpdate.EndOfRib(family), BgpCodecContext.Default);

    // Spans and index loops rather than List<IpPrefix>: generic BCL code over our value types is not
    // precompiled, and a full table goes through here one prefix at a time. A batch is nearly always one family,
    // which is passed through as it is; only a mixed one is copied apart.
    private static void Split(ReadOnlySpan<IpPrefix> prefixes, out ReadOnlySpan<IpPrefix> v4, out ReadOnlySpan<IpPrefix> v6)
    {
        var sixes = 0;
        foreach (var p in prefixes)
        {
            if (p.IsIPv6)
                sixes++;
        }
        if (sixes == 0)
        {
            v4 = prefixes;
            v6 = default;
            return;
        }
        if (sixes == prefixes.Length)
        {
            v4 = default;
            v6 = prefixes;
            return;
        }
        var fours = new IpPrefix[prefixes.Length - sixes];
        var sixArray = new IpPrefix[sixes];
        int four = 0, six = 0;
        foreach (var p in prefixes)
        {
            if (p.IsIPv6)
                sixArray[six++] = p;
            else
                fours[four++] = p;
        }
        v4 = fours;
        v6 = sixArray;
    }

    /// <summary>Where the message starting at <paramref name="start"/> ends: as many prefixes as fit <paramref name="room"/> bytes.</summary>
    private static int ChunkEnd(ReadOnlySpan<IpPrefix> prefixes, int start, int room)
    {
        var used = 0;
        var i = start;
        while (i < prefixes.Length)
        {
            var size = NlriCodec.WireSize(prefixes[i]);
            if (used + size > room)
                break;
            used += size;
            i++;
        }
        return i;
    }

    private static int NlriBytes(ReadOnlySpan<IpPrefix> prefixes)
    {
        var n = 0;
        foreach (var p in prefixes)
            n += NlriCodec.WireSize(p);
        return n;
    }

    private static byte[] Finish(ByteWriter w)
    {
        BgpHeader.Write(w.Written, BgpMessageType.Update, w.Position);
        return w.ToArray();
    }
}
