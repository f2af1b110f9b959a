namespace Tabby.Bgp.Wire;

/// <summary>Checks a decoded OPEN against local configuration: the errors the decoder alone cannot see (RFC 4271 6.2, RFC 5492 5).</summary>
public static class BgpOpenValidator
{
    /// <summary>Throws <see cref="BgpWireException"/> with the NOTIFICATION to send when the OPEN is unacceptable.</summary>
    /// <param name="expectedPeerAs">The configured peer AS; 0 accepts any.</param>
    /// <param name="localIdentifier">Our BGP identifier; an iBGP peer must not share it (RFC 6286 2.1).</param>
    /// <param name="minimumHoldTime">A non-zero hold time below this is 2/6 Unacceptable Hold Time.</param>
    /// <param name="requiredCapabilities">Capabilities the peer must advertise; missing ones are 2/7 with their encodings as data.</param>
    /// <param name="rejectUnknownCapabilities">Refuse capabilities we do not understand with 2/7, instead of ignoring them.</param>
    public static void Validate(
        BgpOpen open,
        uint expectedPeerAs,
        uint localIdentifier,
        bool isInternal,
        ushort minimumHoldTime = 0,
        IReadOnlyCollection<BgpCapability>? requiredCapabilities = null,
        bool rejectUnknownCapabilities = false)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (expectedPeerAs != 0 && open.EffectiveAs != expectedPeerAs)
            throw BgpWireException.Open(OpenSubcode.BadPeerAs, $"peer AS {open.EffectiveAs} is not the configured {expectedPeerAs}");
        if (open.BgpIdentifier == 0)
            throw BgpWireException.Open(OpenSubcode.BadBgpIdentifier, "BGP identifier 0.0.0.0 is not a valid router ID");
        if (isInternal && open.BgpIdentifier == localIdentifier)
            throw BgpWireException.Open(OpenSubcode.BadBgpIdentifier, "the iBGP peer uses our BGP identifier");
        // RFC 4271 4.2: a hold time is 0 or at least 3 seconds; a stricter local minimum may refuse more.
        if (open.HoldTime is 1 or 2 || (open.HoldTime != 0 && open.HoldTime < minimumHoldTime))
            throw BgpWireException.Open(OpenSubcode.UnacceptableHoldTime, $"hold time {open.HoldTime} s is below the minimum of {Math.Max((ushort)3, minimumHoldTime)} s");

        var data = new ByteWriter(32);
        if (requiredCapabilities is not null)
        {
            foreach (var required in requiredCapabilities)
            {
                var present = open.Capabilities.ToArray().Any(c => c.Code == required.Code
                    && (required is not MultiprotocolCapability mp || c is MultiprotocolCapability other && other.Family == mp.Family));
                if (!present)
                    BgpMessageEncoder.WriteCapability(data, required);
            }
        }
        if (data.Position == 0 && rejectUnknownCapabilities)
        {
            foreach (var c in open.Capabilities)
            {
                if (c is UnknownCapability)
                    BgpMessageEncoder.WriteCapability(data, c);
            }
        }
        if (data.Position > 0)
            throw BgpWireException.Open(OpenSubcode.UnsupportedCapability, "capability mismatch", data.ToArray());
    }
}
