using System.Net;
using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Calc;
using Tabby.Node.Dataplane;
using Tabby.Node.Status;

namespace Tabby.Node.Tests.Status;

/// <summary>`tabby node status` lists what is in the FIB as such, and learned routes the kernel did not take apart.</summary>
public sealed class RouteStatusTests
{
    private static Route Learned(string prefix, string gateway) => Route.Via(IpPrefix.Parse(prefix), IPAddress.Parse(gateway));

    private static readonly Route s_installed = Learned("10.20.2.0/26", "192.168.0.3");
    private static readonly Route s_unresolved = Learned("10.20.3.0/26", "172.16.0.1");
    private static readonly Route s_refused = Learned("10.20.4.0/26", "192.168.0.4");

    private static DataplaneSnapshot Snapshot() => new()
    {
        Blocks = [IpPrefix.Parse("10.20.1.0/26")],
        LearnedRoutes = [s_installed, s_unresolved, s_refused],
        RefusedRoutes =
        [
            new RefusedRoute(s_unresolved, "Network is unreachable (ENETUNREACH); kernel says: Nexthop has invalid gateway") { NextHopUnresolved = true },
            new RefusedRoute(s_refused, "Invalid argument (EINVAL)"),
        ],
    };

    [Fact]
    public void Learned_routes_the_kernel_did_not_take_are_not_listed_as_bgp_routes()
    {
        var routes = RouteStatus.ListFrom(Snapshot());

        Assert.Equal(
        [
            new RouteStatus("10.20.1.0/26", "blackhole", "blackhole"),
            new RouteStatus("10.20.2.0/26", "bgp", "via 192.168.0.3"),
            new RouteStatus("10.20.3.0/26", RouteStatus.Unresolved, "via 172.16.0.1 (not installed: no route to the next hop)"),
            new RouteStatus("10.20.4.0/26", RouteStatus.Refused, "via 192.168.0.4 (not installed: Invalid argument (EINVAL))"),
        ], routes);
    }

    [Fact]
    public void A_refused_replace_says_which_earlier_route_the_kernel_keeps()
    {
        var snapshot = Snapshot() with
        {
            RefusedRoutes = [new RefusedRoute(s_unresolved, "Network is unreachable (ENETUNREACH)") { NextHopUnresolved = true, Kept = Learned("10.20.3.0/26", "192.168.0.1") }],
        };

        var row = Assert.Single(RouteStatus.ListFrom(snapshot), r => r.Destination == "10.20.3.0/26");

        Assert.Equal(new RouteStatus("10.20.3.0/26", RouteStatus.Unresolved, "via 172.16.0.1 (not installed: no route to the next hop; the kernel keeps the earlier route via 192.168.0.1)"), row);
    }

    [Fact]
    public void A_learned_route_the_overlay_carries_is_listed_once_as_the_overlays()
    {
        var snapshot = Snapshot() with
        {
            RefusedRoutes = [],
            Overlay = new OverlayPlan { Routes = [new OverlayRoute(s_installed.Destination, IPAddress.Parse("10.20.2.0"), Tunnel: true)] },
        };

        var routes = RouteStatus.ListFrom(snapshot);

        Assert.Equal("vxlan", Assert.Single(routes, r => r.Destination == "10.20.2.0/26").Kind);
        Assert.DoesNotContain(routes, r => r.Kind is RouteStatus.Unresolved or RouteStatus.Refused);
    }

    [Fact]
    public void The_json_report_carries_the_count_of_unresolved_routes()
    {
        var report = new NodeStatusReport
        {
            Node = "host0",
            Datastore = "sqlite:/tmp/x.db",
            SyncState = "InSync",
            Routes = RouteStatus.ListFrom(Snapshot()),
            RoutesLearned = 3,
            RoutesUnresolved = 1,
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, StatusJson.Default.NodeStatusReport));

        Assert.Equal(3, json.RootElement.GetProperty("routesLearned").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("routesUnresolved").GetInt32());
        Assert.Equal("unresolved", json.RootElement.GetProperty("routes")[2].GetProperty("kind").GetString());
    }
}
