namespace Tabby.Linux.Netlink.Routes;

/// <summary>Route operations over one rtnetlink socket: single, batched, and filtered dumps.</summary>
public sealed class NetlinkRoutes
{
    private readonly NetlinkSocket _socket;

    internal NetlinkRoutes(NetlinkSocket socket) => _socket = socket;

    /// <summary>Adds a route; EEXIST when an equal one is there (use <see cref="Replace"/> to converge).</summary>
    public void Add(Route route) =>
        _socket.Execute(route, static (w, r, s) => RouteCodec.WriteNew(w, r, s, replace: false), static r => RouteCodec.Describe("RTM_NEWROUTE add", r));

    /// <summary>Adds or replaces the route to the same destination, table and metric.</summary>
    public void Replace(Route route) =>
        _socket.Execute(route, static (w, r, s) => RouteCodec.WriteNew(w, r, s, replace: true), static r => RouteCodec.Describe("RTM_NEWROUTE replace", r));

    /// <summary>Deletes a route; it must match on destination, table and protocol (and gateway/interface when given).</summary>
    public void Delete(Route route) =>
        _socket.Execute(route, static (w, r, s) => RouteCodec.WriteDelete(w, r, s), static r => RouteCodec.Describe("RTM_DELROUTE", r));

    /// <summary>Adds many routes in as few sendmsg calls as fit; every route is attempted and failures are thrown together.</summary>
    public void AddMany(IEnumerable<Route> routes) => ThrowIfAny(
        _socket.ExecuteBatch(routes, static (w, r, s) => RouteCodec.WriteNew(w, r, s, replace: false), static r => RouteCodec.Describe("RTM_NEWROUTE add", r), out var total), total);

    public void ReplaceMany(IEnumerable<Route> routes) => ThrowIfAny(
        _socket.ExecuteBatch(routes, static (w, r, s) => RouteCodec.WriteNew(w, r, s, replace: true), static r => RouteCodec.Describe("RTM_NEWROUTE replace", r), out var total), total);

    /// <summary>Adds or replaces each route on its own merit; returns the ones the kernel refused, each with its error (the rest are in).</summary>
    public List<(Route Route, NetlinkException Error)> TryReplaceMany(IEnumerable<Route> routes) =>
        _socket.ExecuteBatch(routes, static (w, r, s) => RouteCodec.WriteNew(w, r, s, replace: true), static r => RouteCodec.Describe("RTM_NEWROUTE replace", r), out _);

    public void DeleteMany(IEnumerable<Route> routes) => ThrowIfAny(
        _socket.ExecuteBatch(routes, static (w, r, s) => RouteCodec.WriteDelete(w, r, s), static r => RouteCodec.Describe("RTM_DELROUTE", r), out var total), total);

    /// <summary>Dumps routes; the kernel applies the table and protocol filters before anything is copied to us.</summary>
    public List<Route> List(RouteFilter? filter = null)
    {
        filter ??= RouteFilter.MainTable;
        var routes = _socket.Dump<Route>(
            (w, s) => RouteCodec.WriteDumpRequest(w, filter, s),
            static (message, out route) => RouteCodec.TryParse(message, out route),
            "RTM_GETROUTE dump");
        // Older kernels ignore the protocol filter of a dump; checking again costs nothing.
        if (filter.Protocol is { } protocol)
            routes.RemoveAll(r => r.Protocol != protocol);
        if (filter.Table is { } table)
            routes.RemoveAll(r => r.Table != table);
        return routes;
    }

    private static void ThrowIfAny(List<(Route Item, NetlinkException Error)> failures, int total)
    {
        if (failures.Count == 0)
            return;
        throw new NetlinkBatchException(failures.Select(f => f.Error).ToList(), total);
    }
}
