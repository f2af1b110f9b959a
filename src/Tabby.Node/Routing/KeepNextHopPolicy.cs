using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.Routing;

/// <summary>BGPPeer keepOriginalNextHop: announce routes with the next hop they came with, not this node's address.</summary>
/// <remarks>A route the node originates came from nowhere: it keeps the node's own next hop.</remarks>
internal sealed class KeepNextHopPolicy : IRoutePolicy
{
    private static readonly PolicyActions s_keep = new() { NextHop = NextHopAction.Keep };

    public static KeepNextHopPolicy Instance { get; } = new();

    public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context)
    {
        if (context.Originated || context.ReceivedAttributes?.NextHopFor(prefix.IsIPv6) is null)
            return new PolicyResult(true, attributes, "keepOriginalNextHop", NextHopAction.Default);
        return new PolicyResult(true, RoutePolicy.Apply(prefix, attributes, s_keep, context), "keepOriginalNextHop", NextHopAction.Keep);
    }
}
