using System.Net;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Policy;

/// <summary>Facts a policy needs from the session it runs for: our AS and our next-hop addresses.</summary>
/// <param name="SelfNextHopV4">Our IPv4 address on the session, for next-hop self on IPv4 routes.</param>
/// <param name="SelfNextHopV6">Our IPv6 (and link-local) next hop, for next-hop self on IPv6 routes.</param>
/// <param name="ReceivedAttributes">The path as received, before the speaker's export rewrites; next-hop keep restores its next hop.</param>
/// <param name="Originated">On export, true for a route this speaker originates, false for one it learned from a peer
/// (what BIRD's <c>source ~ [ RTS_BGP ]</c> tells apart); always false on import.</param>
public sealed record PolicyContext(
    uint LocalAs,
    IPAddress? SelfNextHopV4 = null,
    BgpNextHop? SelfNextHopV6 = null,
    PathAttributes? ReceivedAttributes = null,
    bool Originated = false);
