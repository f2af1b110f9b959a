namespace Tabby.Bgp.Wire;

/// <summary>A ROUTE-REFRESH message asking the peer to resend one family (RFC 2918; the subtype octet is RFC 7313's).</summary>
public sealed record BgpRouteRefresh(BgpFamily Family, byte Subtype = 0) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.RouteRefresh;
}
