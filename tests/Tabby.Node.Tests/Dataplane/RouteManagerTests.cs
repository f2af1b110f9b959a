using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Tests.Dataplane;

public sealed class RouteManagerTests
{
    private static IpPrefix P(string s) => IpPrefix.Parse(s);

    [Fact]
    public void Wanted_routes_are_added_stale_ones_of_ours_removed_and_correct_ones_left_alone()
    {
        var manager = new RouteManager();
        manager.AddBlock(P("10.20.1.0/26"));
        var workload = Route.ToWorkload(P("10.20.1.2/32"), 7);
        var actual = new[]
        {
            Route.ToWorkload(P("10.20.1.2/32"), 7),
            Route.ToWorkload(P("10.20.1.9/32"), 8),
            Route.Blackhole(P("10.20.9.0/26")),
        };

        var (deletes, upserts) = manager.Plan([workload], actual);
        Assert.Equal([P("10.20.1.9/32"), P("10.20.9.0/26")], deletes.Select(r => r.Destination));
        Assert.Equal([Route.Blackhole(P("10.20.1.0/26"))], upserts);
    }

    [Fact]
    public void A_route_that_differs_is_replaced_in_place_not_deleted_first()
    {
        var manager = new RouteManager();
        var (deletes, upserts) = manager.Plan([Route.ToWorkload(P("10.20.1.2/32"), 9)], [Route.ToWorkload(P("10.20.1.2/32"), 7)]);
        Assert.Empty(deletes);
        Assert.Equal(9, Assert.Single(upserts).InterfaceIndex);
    }

    [Fact]
    public void A_route_of_ours_with_another_metric_is_removed_since_a_replace_would_not_reach_it()
    {
        var manager = new RouteManager();
        var odd = Route.Via(P("10.20.1.2/32"), IPAddress.Parse("192.168.0.9")) with { Metric = 50 };
        var (deletes, upserts) = manager.Plan([Route.ToWorkload(P("10.20.1.2/32"), 7)], [odd]);
        Assert.Equal([odd], deletes);
        Assert.Single(upserts);
    }
}
