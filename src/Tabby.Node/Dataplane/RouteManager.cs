using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Node.Dataplane;

/// <summary>Owns every route with Tabby's protocol in the main table: what is wanted is programmed, anything else with
/// that protocol is removed (the sweep), and nothing without it is ever touched.</summary>
public sealed class RouteManager
{
    private readonly HashSet<IpPrefix> _blocks = [];

    public IReadOnlyCollection<IpPrefix> Blocks => _blocks;

    /// <summary>Routes in the kernel after the last apply, by kind, for status and metrics.</summary>
    public int WorkloadRoutes { get; private set; }

    public int BlackholeRoutes { get; private set; }

    public void AddBlock(IpPrefix block) => _blocks.Add(block);

    public void RemoveBlock(IpPrefix block) => _blocks.Remove(block);

    public int LearnedRoutes { get; private set; }

    /// <summary>The difference between what is wanted and what the kernel holds.</summary>
    public (List<Route> Deletes, List<Route> Upserts) Plan(IReadOnlyList<Route> workloadRoutes, IReadOnlyList<Route> actual) =>
        Plan(workloadRoutes, [], actual);

    /// <summary>The difference between what is wanted (local workloads, then owned blocks, then routes learned over BGP, in
    /// that order of precedence for one destination) and what the kernel holds.</summary>
    public (List<Route> Deletes, List<Route> Upserts) Plan(IReadOnlyList<Route> workloadRoutes, IReadOnlyList<Route> learned, IReadOnlyList<Route> actual)
    {
        ArgumentNullException.ThrowIfNull(workloadRoutes);
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(actual);
        var wanted = new Dictionary<IpPrefix, Route>();
        foreach (var route in learned)
            wanted[route.Destination] = route;
        foreach (var block in _blocks)
            wanted[block] = Route.Blackhole(block);
        // A workload address is never a whole block, but if it were, the route to the workload wins.
        foreach (var route in workloadRoutes)
            wanted[route.Destination] = route;

        var deletes = new List<Route>();
        var have = new Dictionary<IpPrefix, Route>();
        foreach (var route in actual)
        {
            if (!wanted.TryGetValue(route.Destination, out var want) || have.ContainsKey(route.Destination) || !SameSlot(route))
                deletes.Add(route);
            else if (Same(want, route))
                have[route.Destination] = route;
            // else: a replace of the same destination and metric swaps it in place, with no moment without a route.
        }

        var upserts = wanted.Values.Where(r => !have.ContainsKey(r.Destination)).ToList();
        WorkloadRoutes = workloadRoutes.Count;
        BlackholeRoutes = _blocks.Count;
        LearnedRoutes = wanted.Values.Count(r => r.Gateway is not null);
        return (deletes, upserts);
    }

    /// <summary>True when a replace of our route for this destination would overwrite this one (same metric).</summary>
    private static bool SameSlot(Route have) => (have.Metric ?? 0) == (have.Destination.IsIPv6 ? 1024u : 0u) || have.Metric is null;

    private static bool Same(Route want, Route have) =>
        want.Type == have.Type
        && want.InterfaceIndex == have.InterfaceIndex
        && want.Scope == have.Scope
        && Equals(want.Gateway, have.Gateway)
        && want.Table == have.Table;
}
