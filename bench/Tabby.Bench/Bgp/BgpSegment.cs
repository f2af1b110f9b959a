using System.Buffers.Binary;
using Tabby.Bgp.Wire;

namespace Tabby.Bench.Bgp;

/// <summary>What a TCP segment between two speakers carries, read from the BGP header it starts with.</summary>
/// <remarks>
/// The wire capture used to count any segment of more than 100 bytes as routes. That misread both ways: a device that
/// sends its first route alone (an UPDATE of 60-80 bytes) was timed at its second UPDATE, and a segment of several
/// KEEPALIVEs or an End-of-RIB beside other messages would have counted. The segments that open a burst begin at a
/// message boundary (nothing else is in flight on an idle session), so the first message's header says what it is.
/// Not <see cref="BgpHeader.TryRead"/>: a capture cut anywhere is normal here, not an error to throw.
/// </remarks>
internal static class BgpSegment
{
    private const int HeaderLength = BgpHeader.Length;
    private const byte Update = (byte)BgpMessageType.Update;
    private const byte Keepalive = (byte)BgpMessageType.Keepalive;

    /// <summary>
    /// The segment's data starts, after any KEEPALIVEs, with an UPDATE that withdraws or announces routes (not an
    /// End-of-RIB marker).
    /// </summary>
    public static bool StartsWithRoutes(ReadOnlySpan<byte> data)
    {
        // A KEEPALIVE due at the same moment may go out in the same segment, ahead of the UPDATE.
        while (data.Length >= HeaderLength && HasMarker(data) && data[18] == Keepalive)
            data = data[HeaderLength..];
        if (data.Length < HeaderLength + 4 || !HasMarker(data) || data[18] != Update)
            return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[16..]);
        var withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(data[19..]);
        if (withdrawnLength > 0)
            return true;
        // No withdrawn routes: routes are announced if NLRI follows the attributes, or if MP_REACH_NLRI or a non-empty
        // MP_UNREACH_NLRI is among them. An End-of-RIB has no NLRI and at most an empty MP_UNREACH_NLRI (RFC 4724 2).
        var attributesLength = BinaryPrimitives.ReadUInt16BigEndian(data[21..]);
        if (length > HeaderLength + 4 + attributesLength)
            return true;
        return attributesLength > 0 && !IsEmptyMpUnreach(data[(HeaderLength + 4)..], attributesLength);
    }

    /// <summary>The segment carries BGP data other than KEEPALIVEs alone (which both ends send on their own timers).</summary>
    public static bool CarriesMoreThanKeepalives(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return false;
        // A segment that does not start at a message boundary is the middle of a burst.
        if (data.Length < HeaderLength || !HasMarker(data))
            return true;
        var offset = 0;
        while (offset + HeaderLength <= data.Length)
        {
            var message = data[offset..];
            if (!HasMarker(message) || message[18] != Keepalive)
                return true;
            offset += HeaderLength;
        }
        // What is left is shorter than a header: only part of a message, which is more than KEEPALIVEs.
        return offset < data.Length;
    }

    private static bool HasMarker(ReadOnlySpan<byte> data) =>
        data.Length >= BgpHeader.MarkerLength && !data[..BgpHeader.MarkerLength].ContainsAnyExcept((byte)0xFF);

    private static bool IsEmptyMpUnreach(ReadOnlySpan<byte> attributes, int declaredLength)
    {
        // One attribute, MP_UNREACH_NLRI (type 15), whose value is AFI and SAFI alone (3 bytes), after a one-byte length
        // or, with the extended-length flag, a two-byte one.
        if (attributes.Length < 3 || attributes[1] != (byte)PathAttributeType.MpUnreachNlri)
            return false;
        return (attributes[0] & (byte)PathAttributeFlags.ExtendedLength) == 0
            ? declaredLength == 6 && attributes[2] == 3
            : declaredLength == 7 && attributes.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]) == 3;
    }
}
