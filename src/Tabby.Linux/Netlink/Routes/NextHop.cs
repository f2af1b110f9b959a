using System.Net;

namespace Tabby.Linux.Netlink.Routes;

/// <summary>One path of an ECMP route: a gateway and/or an interface, with a weight (1-256).</summary>
public sealed record NextHop(IPAddress? Gateway, int InterfaceIndex, int Weight = 1, bool OnLink = false)
{
    public override string ToString() =>
        $"nexthop{(Gateway is null ? string.Empty : $" via {Gateway}")} dev {InterfaceIndex} weight {Weight}{(OnLink ? " onlink" : string.Empty)}";
}
