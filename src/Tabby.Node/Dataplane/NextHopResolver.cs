using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Node.Dataplane;

/// <summary>
/// Resolves a learned route's next hop that is not on a connected subnet through the routing table, as BIRD's
/// <c>gateway recursive</c> does for Calico: a peer in another subnet announces its block with itself as next hop,
/// and the kernel accepts that route only via a gateway it can reach directly (the router between the subnets).
/// </summary>
/// <remarks>
/// A next hop is followed through at most <see cref="MaxDepth"/> routes; a route is never resolved through itself,
/// through a blackhole, or through nothing: then it is left as announced, and the kernel's refusal is logged.
/// Resolved again on every apply, so it follows the routes it was resolved through.
/// </remarks>
public static class NextHopResolver
{
    public const int MaxDepth = 4;

    /// <param name="learned">The routes learned over BGP, with the next hops their peers gave.</param>
    /// <param name="mainTable">The main table as the kernel has it (connected subnets, static and other routes).</param>
    public static List<Route> Resolve(IReadOnlyList<Route> learned, IReadOnlyList<Route> mainTable) => Resolve(learned, mainTable, out _);

    /// <param name="followsOtherRoutes">True when some next hop is not on a connected subnet (resolved through other
    /// routes, or not resolvable yet): a change to any route may change the answer.</param>
    public static List<Route> Resolve(IReadOnlyList<Route> learned, IReadOnlyList<Route> mainTable, out bool followsOtherRoutes) =>
        Resolve(learned, mainTable, out followsOtherRoutes, out _);

    /// <param name="unresolved">The destinations whose next hop leads nowhere (no route, a blackhole, a loop): left as
    /// announced, and the kernel will refuse them unless it knows better.</param>
    public static List<Route> Resolve(IReadOnlyList<Route> learned, IReadOnlyList<Route> mainTable, out bool followsOtherRoutes, out HashSet<IpPrefix> unresolved)
    {
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(mainTable);
        unresolved = [];
        var others = mainTable.Where(r => r.Protocol != RouteProtocol.Tabby).ToList();
        // Next hops are few (one per peer) and routes many: each next hop is resolved once, and again only for a route
        // that the first answer went through (a route is never resolved through itself).
        var hops = new Dictionary<IPAddress, Resolution>();
        var result = new List<Route>(learned.Count);
        followsOtherRoutes = false;
        foreach (var route in learned)
        {
            if (route.Gateway is not { } gateway || route.InterfaceIndex != 0 || route.OnLink || gateway.IsIPv6LinkLocal)
            {
                result.Add(route);
                continue;
            }

            if (!hops.TryGetValue(gateway, out var resolution))
                hops[gateway] = resolution = ResolveHop(gateway, null, learned, others);
            if (resolution.Through.Contains(route.Destination))
                resolution = ResolveHop(gateway, route.Destination, learned, others);
            followsOtherRoutes |= resolution.Hop is null || resolution.Through.Count > 1;
            if (resolution.Hop is null)
                unresolved.Add(route.Destination);
            result.Add(resolution.Hop is { } hop && !hop.Equals(gateway) ? route with { Gateway = hop } : route);
        }

        return result;
    }

    /// <summary>The directly reachable gateway for <paramref name="gateway"/> (itself when connected; null when none), and the routes followed.</summary>
    /// <remarks>Each route followed is itself resolved without itself, so a learned route is used with the gateway it resolved to.</remarks>
    private static Resolution ResolveHop(IPAddress gateway, IpPrefix? except, IReadOnlyList<Route> learned, List<Route> others)
    {
        var hop = gateway;
        var through = new List<IpPrefix>();
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var match = LongestMatch(hop, except, learned, others);
            if (match is null || match.Type != RouteType.Unicast)
                return new Resolution(null, through);
            through.Add(match.Destination);
            if (match.Gateway is not { } next)
                return new Resolution(hop, through);
            (hop, except) = (next, match.Destination);
        }

        return new Resolution(null, through);
    }

    private sealed record Resolution(IPAddress? Hop, List<IpPrefix> Through);

    private static Route? LongestMatch(IPAddress address, IpPrefix? except, IReadOnlyList<Route> learned, List<Route> others)
    {
        Route? best = null;
        foreach (var candidate in others.Concat(learned))
        {
            var destination = candidate.Destination;
            if (destination == except || destination.IsIPv6 != (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) || !destination.Contains(address))
                continue;
            if (best is null || destination.Length > best.Destination.Length)
                best = candidate;
        }

        return best;
    }
}
