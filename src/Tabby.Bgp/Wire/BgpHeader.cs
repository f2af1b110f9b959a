using System.Buffers.Binary;

namespace Tabby.Bgp.Wire;

/// <summary>The 19-byte message header (RFC 4271 4.1): framing for the session's read loop.</summary>
public static class BgpHeader
{
    public const int Length = 19;
    public const int MaxMessageLength = 4096;
    public const int MarkerLength = 16;

    /// <summary>
    /// Reads and validates a header at the start of <paramref name="buffer"/>. Returns false when fewer
    /// than 19 bytes are buffered; throws <see cref="BgpWireException"/> (1/1, 1/2 or 1/3) when the header
    /// is bad. On success the whole message is the next <paramref name="messageLength"/> bytes.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out BgpMessageType type, out int messageLength)
    {
        type = default;
        messageLength = 0;
        if (buffer.Length < Length)
            return false;
        if (buffer[..MarkerLength].ContainsAnyExcept((byte)0xFF))
            throw BgpWireException.Header(MessageHeaderSubcode.ConnectionNotSynchronized, "the marker is not all ones");
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[16..]);
        var rawType = buffer[18];
        if (length < Length || length > MaxMessageLength)
            throw BadLength(length, "outside 19-4096");
        var min = rawType switch
        {
            (byte)BgpMessageType.Open => 29,
            (byte)BgpMessageType.Update => 23,
            (byte)BgpMessageType.Notification => 21,
            (byte)BgpMessageType.Keepalive => 19,
            (byte)BgpMessageType.RouteRefresh => 23,
            _ => throw BgpWireException.Header(MessageHeaderSubcode.BadMessageType, $"unknown message type {rawType}", [rawType]),
        };
        if (length < min)
            throw BadLength(length, $"below the {(BgpMessageType)rawType} minimum of {min}");
        if (rawType is (byte)BgpMessageType.Keepalive or (byte)BgpMessageType.RouteRefresh && length != min)
            throw BadLength(length, $"a {(BgpMessageType)rawType} is exactly {min} bytes");
        type = (BgpMessageType)rawType;
        messageLength = length;
        return true;
    }

    /// <summary>Writes marker, length and type.</summary>
    public static void Write(Span<byte> destination, BgpMessageType type, int messageLength)
    {
        destination[..MarkerLength].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], (ushort)messageLength);
        destination[18] = (byte)type;
    }

    internal static BgpWireException BadLength(int length, string why) =>
        BgpWireException.Header(MessageHeaderSubcode.BadMessageLength, $"message length {length} {why}", [(byte)(length >> 8), (byte)length]);
}
