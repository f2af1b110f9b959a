using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.Routing;

/// <summary>BGPPeer keepOriginalNextHop: announce routes with the next hop they came with, not this node's address.</summary>
internal sealed class KeepNextHopPolicy : IRoutePolicy
{
    public static KeepNextHopPolicy Instance { get; } = new();

    public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context) =>
        new(true, attributes, "keepOriginalNextHop", NextHopAction.Keep);
}
