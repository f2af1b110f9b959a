using System.Net;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Sysctls;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Tests.Dataplane;

/// <summary>A kernel of routes only: it holds what it takes and refuses a gateway it cannot reach, as Linux does.</summary>
public sealed class FakeKernel : IKernel
{
    private readonly Dictionary<Tabby.Core.Addressing.IpPrefix, Route> _routes = [];

    /// <summary>Gateways the kernel answers ENETUNREACH for ("Nexthop has invalid gateway").</summary>
    public HashSet<IPAddress> Unreachable { get; } = [];

    public IReadOnlyCollection<Route> Routes => _routes.Values;

    public RtNetlinkClient Netlink => throw new NotSupportedException("the fake kernel has routes only");

    public IReadOnlyList<Link> ListLinks() => [];

    public IReadOnlyList<Route> ListOwnRoutes() => [.. _routes.Values];

    public IReadOnlyList<Route> ListMainTable() => [.. _routes.Values];

    public void ApplyRoutes(IReadOnlyList<Route> deletes, IReadOnlyList<Route> upserts)
    {
        foreach (var route in deletes)
            _routes.Remove(route.Destination);
        var refused = ReplaceRoutes(upserts);
        if (refused.Count > 0)
            throw new NetlinkBatchException([.. refused.Select(r => r.Error)], deletes.Count + upserts.Count);
    }

    public IReadOnlyList<(Route Route, NetlinkException Error)> ReplaceRoutes(IReadOnlyList<Route> routes)
    {
        var refused = new List<(Route, NetlinkException)>();
        foreach (var route in routes)
        {
            if (route.Gateway is { } gateway && Unreachable.Contains(gateway))
                refused.Add((route, new NetlinkException(Errno.ENETUNREACH, $"RTM_NEWROUTE replace {route}", "Nexthop has invalid gateway")));
            else
                _routes[route.Destination] = route;
        }

        return refused;
    }

    public IReadOnlyList<(SysctlSetting Setting, Exception Error)> WriteSysctls(IReadOnlyList<SysctlSetting> settings) => [];
}
