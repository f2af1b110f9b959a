using System.Net;

namespace Tabby.Bgp.Wire;

/// <summary>The next hop of MP_REACH_NLRI: a global address and, for IPv6, an optional link-local one (RFC 2545 3).</summary>
public sealed record BgpNextHop(IPAddress Global, IPAddress? LinkLocal = null)
{
    public override string ToString() => LinkLocal is null ? Global.ToString() : $"{Global} ({LinkLocal})";
}
