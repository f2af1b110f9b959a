namespace Tabby.Bgp.Wire;

/// <summary>Encodes BGP messages to bytes; the inverse of <see cref="BgpMessageDecoder"/>.</summary>
/// <remarks>Encoding our own messages cannot fail on input from the network, so misuse throws ArgumentException.</remarks>
public static class BgpMessageEncoder
{
    public static byte[] Encode(BgpMessage message, BgpCodecContext context) =>
        TryEncode(message, context, out var bytes, out var error) ? bytes : throw new ArgumentException(error, nameof(message));

    /// <summary>Encodes, returning false (with the reason) when the message would exceed 4096 bytes.</summary>
    public static bool TryEncode(BgpMessage message, BgpCodecContext context, out byte[] bytes, out string? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var w = new ByteWriter(message is BgpUpdate ? 512 : 64);
        w.Zeros(BgpHeader.Length);
        switch (message)
        {
            case BgpOpen open:
                WriteOpen(w, open);
                break;
            case BgpUpdate update:
                WriteUpdate(w, update, context);
                break;
            case BgpNotification n:
                w.U8((byte)n.Code);
                w.U8(n.Subcode);
                w.Bytes(n.Data.AsSpan());
                break;
            case BgpKeepalive:
                break;
            case BgpRouteRefresh rr:
                w.U16(rr.Family.Afi);
                w.U8(rr.Subtype);
                w.U8(rr.Family.Safi);
                break;
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }
        if (w.Position > BgpHeader.MaxMessageLength)
        {
            bytes = [];
            error = $"the {message.Type} would be {w.Position} bytes, over the {BgpHeader.MaxMessageLength} limit";
            return false;
        }
        BgpHeader.Write(w.Written, message.Type, w.Position);
        bytes = w.ToArray();
        error = null;
        return true;
    }

    private static void WriteOpen(ByteWriter w, BgpOpen open)
    {
        w.U8(open.Version);
        w.U16(open.MyAs);
        w.U16(open.HoldTime);
        w.U32(open.BgpIdentifier);

        var caps = new ByteWriter(64);
        var parameters = new List<byte[]>();
        foreach (var c in open.Capabilities)
        {
            caps.Clear();
            WriteCapability(caps, c);
            parameters.Add(caps.ToArray());
        }
        // Capabilities are packed greedily into as few type-2 parameters as fit 255 bytes each.
        var packed = new List<byte[]>();
        var current = new ByteWriter(256);
        foreach (var p in parameters)
        {
            if (current.Position + p.Length > byte.MaxValue && current.Position > 0)
            {
                packed.Add(current.ToArray());
                current.Clear();
            }
            current.Bytes(p);
        }
        if (current.Position > 0)
            packed.Add(current.ToArray());

        var total = packed.Sum(p => 2 + p.Length);
        if (total < byte.MaxValue && packed.All(p => p.Length <= byte.MaxValue))
        {
            w.U8((byte)total);
            foreach (var p in packed)
            {
                w.U8(2);
                w.U8((byte)p.Length);
                w.Bytes(p);
            }
            return;
        }
        // RFC 9072 extended optional parameters: 255, then type 255 and a 2-octet length, then 2-octet parameter lengths.
        w.U8(255);
        w.U8(255);
        w.U16((ushort)packed.Sum(p => 3 + p.Length));
        foreach (var p in packed)
        {
            w.U8(2);
            w.U16((ushort)p.Length);
            w.Bytes(p);
        }
    }

    internal static void WriteCapability(ByteWriter w, BgpCapability c)
    {
        w.U8(c.Code);
        switch (c)
        {
            case MultiprotocolCapability mp:
                w.U8(4);
                w.U16(mp.Family.Afi);
                w.U8(0);
                w.U8(mp.Family.Safi);
                break;
            case RouteRefreshCapability:
                w.U8(0);
                break;
            case FourOctetAsCapability four:
                w.U8(4);
                w.U32(four.As);
                break;
            case GracefulRestartCapability gr:
                if (gr.RestartTimeSeconds > GracefulRestartCapability.MaxRestartTime)
                    throw new ArgumentException($"restart time {gr.RestartTimeSeconds} exceeds 4095 s", nameof(c));
                if (2 + (gr.Families.Count * 4) > byte.MaxValue)
                    throw new ArgumentException("too many graceful restart families", nameof(c));
                w.U8((byte)(2 + (gr.Families.Count * 4)));
                w.U16((ushort)((gr.Restarting ? 0x8000 : 0) | (gr.NotificationSupport ? 0x4000 : 0) | gr.RestartTimeSeconds));
                foreach (var f in gr.Families)
                {
                    w.U16(f.Family.Afi);
                    w.U8(f.Family.Safi);
                    w.U8(f.ForwardingStatePreserved ? (byte)0x80 : (byte)0);
                }
                break;
            case UnknownCapability u:
                if (u.Value.Count > byte.MaxValue)
                    throw new ArgumentException($"capability {u.Code} value is too long", nameof(c));
                w.U8((byte)u.Value.Count);
                w.Bytes(u.Value.AsSpan());
                break;
            default:
                throw new ArgumentException($"unknown capability {c.GetType().Name}", nameof(c));
        }
    }

    private static void WriteUpdate(ByteWriter w, BgpUpdate u, BgpCodecContext context)
    {
        var withdrawnAt = w.Position;
        w.U16(0);
        foreach (var p in u.WithdrawnRoutes)
        {
            if (p.IsIPv6)
                throw new ArgumentException("classic withdrawn routes are IPv4 only; use MpUnreach", nameof(u));
            NlriCodec.Write(w, p);
        }
        w.PatchU16(withdrawnAt, (ushort)(w.Position - withdrawnAt - 2));

        var attrsAt = w.Position;
        w.U16(0);
        // RFC 7606 5.1: MP_REACH/MP_UNREACH go first so a receiver can always find them.
        if (u.MpReach is { } reach)
        {
            var nh = u.Attributes.MpNextHop ?? throw new ArgumentException("MpReach needs Attributes.MpNextHop", nameof(u));
            PathAttributeEncoder.WriteMpReach(w, reach.Family, nh, reach.Prefixes.AsSpan());
        }
        if (u.MpUnreach is { } unreach)
            PathAttributeEncoder.WriteMpUnreach(w, unreach.Family, unreach.Prefixes.AsSpan());
        PathAttributeEncoder.Write(w, u.Attributes, context);
        var attrLength = w.Position - attrsAt - 2;
        if (attrLength > ushort.MaxValue)
            throw new ArgumentException("path attributes exceed 65535 bytes", nameof(u));
        w.PatchU16(attrsAt, (ushort)attrLength);

        foreach (var p in u.Nlri)
        {
            if (p.IsIPv6)
                throw new ArgumentException("classic NLRI is IPv4 only; use MpReach", nameof(u));
            NlriCodec.Write(w, p);
        }
    }
}
