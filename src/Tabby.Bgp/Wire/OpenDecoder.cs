using System.Buffers.Binary;

namespace Tabby.Bgp.Wire;

/// <summary>Decodes an OPEN body (RFC 4271 4.2, 6.2), its capabilities (RFC 5492) and extended parameters (RFC 9072).</summary>
internal static class OpenDecoder
{
    private const byte CapabilitiesParameter = 2;
    private const byte ExtendedParameters = 255;

    public static BgpOpen Decode(ReadOnlySpan<byte> body)
    {
        // Header validation guarantees body.Length >= 10.
        var version = body[0];
        if (version != BgpOpen.SupportedVersion)
        {
            // RFC 4271 6.2: the data is the largest version we support, as 2 octets.
            throw BgpWireException.Open(OpenSubcode.UnsupportedVersionNumber, $"version {version} is not 4", [0, BgpOpen.SupportedVersion]);
        }
        var myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        var holdTime = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        var identifier = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        int optLength = body[9];
        var rest = body[10..];

        var capabilities = new List<BgpCapability>();
        if (optLength == 255 && rest.Length >= 3 && rest[0] == ExtendedParameters)
        {
            // RFC 9072: a non-extended type 255 signals 2-octet parameter lengths.
            int extLength = BinaryPrimitives.ReadUInt16BigEndian(rest[1..]);
            if (3 + extLength != rest.Length)
                throw BgpWireException.Open(OpenSubcode.Unspecific, $"extended optional parameters length {extLength} disagrees with the message");
            ParseParameters(rest.Slice(3, extLength), true, capabilities);
        }
        else
        {
            if (optLength != rest.Length)
                throw BgpWireException.Open(OpenSubcode.Unspecific, $"optional parameters length {optLength} disagrees with the message ({rest.Length})");
            ParseParameters(rest, false, capabilities);
        }

        if (myAs == 0)
            throw BgpWireException.Open(OpenSubcode.BadPeerAs, "My Autonomous System is 0 (RFC 7607)");
        if (holdTime is 1 or 2)
            throw BgpWireException.Open(OpenSubcode.UnacceptableHoldTime, $"hold time {holdTime} is under 3 seconds");
        if (identifier == 0)
            throw BgpWireException.Open(OpenSubcode.BadBgpIdentifier, "BGP Identifier is 0");
        foreach (var c in capabilities)
        {
            if (c is FourOctetAsCapability { As: 0 })
                throw BgpWireException.Open(OpenSubcode.BadPeerAs, "4-octet AS capability carries AS 0 (RFC 7607)");
        }
        return new BgpOpen(version, myAs, holdTime, identifier, capabilities.ToArray());
    }

    private static void ParseParameters(ReadOnlySpan<byte> data, bool extended, List<BgpCapability> capabilities)
    {
        var headerLength = extended ? 3 : 2;
        var pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < headerLength)
                throw BgpWireException.Open(OpenSubcode.Unspecific, "truncated optional parameter header");
            var type = data[pos];
            int length = extended ? BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 1)..]) : data[pos + 1];
            pos += headerLength;
            if (pos + length > data.Length)
                throw BgpWireException.Open(OpenSubcode.Unspecific, $"optional parameter {type} length {length} overruns the parameters");
            var value = data.Slice(pos, length);
            pos += length;
            if (type != CapabilitiesParameter)
                throw BgpWireException.Open(OpenSubcode.UnsupportedOptionalParameter, $"optional parameter type {type} is not supported");
            ParseCapabilities(value, capabilities);
        }
    }

    private static void ParseCapabilities(ReadOnlySpan<byte> data, List<BgpCapability> capabilities)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < 2)
                throw BgpWireException.Open(OpenSubcode.Unspecific, "truncated capability header");
            var code = data[pos];
            int length = data[pos + 1];
            pos += 2;
            if (pos + length > data.Length)
                throw BgpWireException.Open(OpenSubcode.Unspecific, $"capability {code} length {length} overruns its parameter");
            var v = data.Slice(pos, length);
            pos += length;
            capabilities.Add(code switch
            {
                BgpCapability.MultiprotocolCode when length == 4 =>
                    new MultiprotocolCapability(new BgpFamily(BinaryPrimitives.ReadUInt16BigEndian(v), v[3])),
                BgpCapability.RouteRefreshCode when length == 0 => RouteRefreshCapability.Instance,
                BgpCapability.FourOctetAsCode when length == 4 => new FourOctetAsCapability(BinaryPrimitives.ReadUInt32BigEndian(v)),
                BgpCapability.GracefulRestartCode when length >= 2 && (length - 2) % 4 == 0 => ParseGracefulRestart(v),
                BgpCapability.MultiprotocolCode or BgpCapability.RouteRefreshCode or BgpCapability.FourOctetAsCode or BgpCapability.GracefulRestartCode =>
                    throw BgpWireException.Open(OpenSubcode.Unspecific, $"capability {code} has invalid length {length}"),
                _ => new UnknownCapability(code, v.ToArray()),
            });
        }
    }

    private static GracefulRestartCapability ParseGracefulRestart(ReadOnlySpan<byte> v)
    {
        var head = BinaryPrimitives.ReadUInt16BigEndian(v);
        var families = new GracefulRestartFamily[(v.Length - 2) / 4];
        for (var i = 0; i < families.Length; i++)
        {
            var e = v[(2 + (i * 4))..];
            families[i] = new GracefulRestartFamily(
                new BgpFamily(BinaryPrimitives.ReadUInt16BigEndian(e), e[2]),
                (e[3] & 0x80) != 0);
        }
        // Restart flags are the top 4 bits: R (0x8) and N (0x4, RFC 8538); the low 12 bits are the time.
        return new GracefulRestartCapability(
            (head & 0x8000) != 0,
            (head & 0x4000) != 0,
            (ushort)(head & GracefulRestartCapability.MaxRestartTime),
            families);
    }
}
