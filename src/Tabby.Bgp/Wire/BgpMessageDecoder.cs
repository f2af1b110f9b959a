using System.Buffers.Binary;

namespace Tabby.Bgp.Wire;

/// <summary>Decodes whole BGP messages from spans; throws only <see cref="BgpWireException"/>.</summary>
/// <remarks>
/// Stateless: everything negotiated comes in the <see cref="BgpCodecContext"/>. Every length is
/// checked against the bytes actually present before anything is allocated, so the work and memory
/// are bounded by the 4096-byte message.
/// </remarks>
public static class BgpMessageDecoder
{
    /// <summary>Decodes exactly one message; <paramref name="message"/> must be the whole message, header included.</summary>
    public static BgpMessage Decode(ReadOnlySpan<byte> message, BgpCodecContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (message.Length < BgpHeader.Length)
        {
            if (message.Length >= BgpHeader.MarkerLength && message[..BgpHeader.MarkerLength].ContainsAnyExcept((byte)0xFF))
                throw BgpWireException.Header(MessageHeaderSubcode.ConnectionNotSynchronized, "the marker is not all ones");
            throw BgpHeader.BadLength(message.Length, "is shorter than a header");
        }
        BgpHeader.TryRead(message, out var type, out var length);
        if (length != message.Length)
            throw BgpHeader.BadLength(length, $"disagrees with the {message.Length} bytes received");
        var body = message[BgpHeader.Length..];
        return type switch
        {
            BgpMessageType.Open => OpenDecoder.Decode(body),
            BgpMessageType.Update => UpdateDecoder.Decode(body, context),
            BgpMessageType.Notification => new BgpNotification((BgpErrorCode)body[0], body[1], body[2..].ToArray()),
            BgpMessageType.Keepalive => BgpKeepalive.Instance,
            _ => new BgpRouteRefresh(new BgpFamily(BinaryPrimitives.ReadUInt16BigEndian(body), body[3]), body[2]),
        };
    }

    /// <summary>Decodes a message known to be an UPDATE (or throws 1/3 if it is not).</summary>
    public static BgpUpdate DecodeUpdate(ReadOnlySpan<byte> message, BgpCodecContext context) =>
        Decode(message, context) as BgpUpdate
        ?? throw BgpWireException.Header(MessageHeaderSubcode.BadMessageType, "expected an UPDATE", message.Length > 18 ? [message[18]] : null);
}
