using System.Globalization;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Status;

/// <summary>One route the agent holds, as `ip route` would print it; or a learned one the kernel did not take.</summary>
/// <param name="Kind">workload, blackhole, bgp, vxlan or direct for routes in the FIB; <see cref="Unresolved"/> or
/// <see cref="Refused"/> for learned routes that are not.</param>
public sealed record RouteStatus(string Destination, string Kind, string Target)
{
    /// <summary>Learned, not in the FIB: nothing in the main table leads to its next hop.</summary>
    public const string Unresolved = "unresolved";

    /// <summary>Learned, not in the FIB: the kernel refused it for another reason (the target says which).</summary>
    public const string Refused = "refused";

    /// <summary>The routes of the last apply, by destination.</summary>
    public static IReadOnlyList<RouteStatus> ListFrom(DataplaneSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var overlay = snapshot.Overlay.Routes.Select(r => r.Destination).ToHashSet();
        var refused = snapshot.RefusedRoutes.Select(r => r.Route.Destination).ToHashSet();
        return [.. snapshot.WorkloadRoutes.Select(r => new RouteStatus(r.Destination.ToString(), "workload", $"dev {InterfaceName(snapshot, r)} scope link"))
            .Concat(snapshot.Blocks.Select(b => new RouteStatus(b.ToString(), "blackhole", "blackhole")))
            .Concat(snapshot.LearnedRoutes.Where(r => !overlay.Contains(r.Destination) && !refused.Contains(r.Destination))
                .Select(r => new RouteStatus(r.Destination.ToString(), "bgp", $"via {r.Gateway}")))
            .Concat(snapshot.RefusedRoutes.Select(NotInstalled))
            .Concat(snapshot.Overlay.Routes.Select(r => new RouteStatus(r.Destination.ToString(), r.Tunnel ? "vxlan" : "direct", r.ToString()[(r.Destination.ToString().Length + 1)..])))
            .OrderBy(r => r.Destination, StringComparer.Ordinal)];
    }

    private static RouteStatus NotInstalled(RefusedRoute refused)
    {
        var why = refused.NextHopUnresolved ? "no route to the next hop" : refused.Error;
        var kept = refused.Kept is { } earlier ? $"; the kernel keeps the earlier route via {earlier.Gateway}" : "";
        return new RouteStatus(refused.Route.Destination.ToString(), refused.NextHopUnresolved ? Unresolved : Refused,
            $"via {refused.Route.Gateway} (not installed: {why}{kept})");
    }

    private static string InterfaceName(DataplaneSnapshot snapshot, Route route) =>
        snapshot.Endpoints.FirstOrDefault(e => e.Addresses.Contains(route.Destination))?.InterfaceName ?? route.InterfaceIndex.ToString(CultureInfo.InvariantCulture);
}
