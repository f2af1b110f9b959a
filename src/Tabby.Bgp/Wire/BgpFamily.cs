namespace Tabby.Bgp.Wire;

/// <summary>An AFI/SAFI pair (RFC 4760) naming an address family such as IPv4 unicast.</summary>
public readonly record struct BgpFamily(ushort Afi, byte Safi)
{
    public const ushort AfiIpv4 = 1;
    public const ushort AfiIpv6 = 2;
    public const byte SafiUnicast = 1;

    public static BgpFamily Ipv4Unicast => new(AfiIpv4, SafiUnicast);
    public static BgpFamily Ipv6Unicast => new(AfiIpv6, SafiUnicast);

    /// <summary>True for the families whose NLRI this codec parses (IPv4 and IPv6 unicast).</summary>
    public bool IsSupported => Safi == SafiUnicast && Afi is AfiIpv4 or AfiIpv6;

    public bool IsIpv6 => Afi == AfiIpv6;

    public static BgpFamily For(Tabby.Core.Addressing.IpPrefix prefix) => prefix.IsIPv6 ? Ipv6Unicast : Ipv4Unicast;

    public override string ToString() => (Afi, Safi) switch
    {
        (AfiIpv4, SafiUnicast) => "ipv4-unicast",
        (AfiIpv6, SafiUnicast) => "ipv6-unicast",
        _ => $"afi{Afi}/safi{Safi}",
    };
}
