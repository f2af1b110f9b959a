using System.Net;
using System.Text;
using Tabby.Core.Addressing;

namespace Tabby.Linux.Netlink.Routes;

/// <summary>A kernel route as rtnetlink carries it; defaults are a unicast, universe-scope route in the main table with Tabby's protocol.</summary>
public sealed record Route
{
    public Route(IpPrefix destination) => Destination = destination;

    public IpPrefix Destination { get; init; }
    public uint Table { get; init; } = RouteTable.Main;
    public byte Protocol { get; init; } = RouteProtocol.Tabby;
    public RouteScope Scope { get; init; } = RouteScope.Universe;
    public RouteType Type { get; init; } = RouteType.Unicast;
    public IPAddress? Gateway { get; init; }

    /// <summary>The output interface index (RTA_OIF); 0 when unset.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>Use the gateway as on-link even if no interface address covers it (how workloads reach 169.254.1.1).</summary>
    public bool OnLink { get; init; }

    /// <summary>RTA_PRIORITY, the metric; null leaves the kernel default (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; init; }

    public IPAddress? PreferredSource { get; init; }

    /// <summary>ECMP paths; when set, Gateway and InterfaceIndex are unused.</summary>
    public IReadOnlyList<NextHop>? NextHops { get; init; }

    /// <summary>A /32 (or /128) `scope link` route to a local workload through its host-side interface.</summary>
    public static Route ToWorkload(IpPrefix address, int interfaceIndex) =>
        new(address) { InterfaceIndex = interfaceIndex, Scope = RouteScope.Link };

    /// <summary>A blackhole for a whole local block, so addresses not yet in use go nowhere instead of out the default route.</summary>
    public static Route Blackhole(IpPrefix block) => new(block) { Type = RouteType.Blackhole };

    public static Route Via(IpPrefix destination, IPAddress gateway, int interfaceIndex = 0) =>
        new(destination) { Gateway = gateway, InterfaceIndex = interfaceIndex };

    /// <summary>Reads like `ip route`: "10.20.1.2/32 dev 5 proto 76 scope link".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Type != RouteType.Unicast)
            text.Append(Type.ToString().ToLowerInvariant()).Append(' ');
        text.Append(Destination);
        if (Gateway is not null)
            text.Append(" via ").Append(Gateway);
        if (InterfaceIndex != 0)
            text.Append(" dev ").Append(InterfaceIndex);
        if (Table != RouteTable.Main)
            text.Append(" table ").Append(Table);
        text.Append(" proto ").Append(Protocol);
        if (Scope != RouteScope.Universe)
            text.Append(" scope ").Append(Scope.ToString().ToLowerInvariant());
        if (Metric is { } metric)
            text.Append(" metric ").Append(metric);
        if (OnLink)
            text.Append(" onlink");
        if (NextHops is { Count: > 0 } hops)
        {
            foreach (var hop in hops)
                text.Append(' ').Append(hop);
        }
        return text.ToString();
    }
}
