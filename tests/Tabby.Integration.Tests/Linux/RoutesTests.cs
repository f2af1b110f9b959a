using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Linux;

public sealed class RoutesTests
{
    private static readonly IPAddress s_neighbour = IPAddress.Parse("192.168.7.2");
    private static readonly IPAddress s_otherNeighbour = IPAddress.Parse("192.168.7.3");

    [Fact]
    public void A_32_scope_link_route_to_a_workload_round_trips_through_List()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);

        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index));

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("10.20.1.2/32"), route.Destination);
        Assert.Equal(RouteScope.Link, route.Scope);
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(v0.Index, route.InterfaceIndex);
        Assert.Equal(RouteProtocol.Tabby, route.Protocol);
        Assert.Equal(RouteTable.Main, route.Table);
        Assert.Null(route.Gateway);
    }

    [Fact]
    public void A_route_via_a_gateway_round_trips_with_the_gateway_and_the_interface_the_kernel_resolved()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);

        netlink.Routes.Add(Route.Via(IpPrefix.Parse("10.20.2.0/26"), s_neighbour));

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("10.20.2.0/26"), route.Destination);
        Assert.Equal(s_neighbour, route.Gateway);
        Assert.Equal(v0.Index, route.InterfaceIndex);
        Assert.Equal(RouteScope.Universe, route.Scope);
        Assert.False(route.OnLink);
    }

    [Fact]
    public void An_onlink_gateway_outside_every_subnet_is_accepted_and_listed_as_onlink()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var gateway = IPAddress.Parse("169.254.1.1");

        netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = gateway, InterfaceIndex = v0.Index, OnLink = true });

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("0.0.0.0/0"), route.Destination);
        Assert.Equal(gateway, route.Gateway);
        Assert.Equal(v0.Index, route.InterfaceIndex);
        Assert.True(route.OnLink);
    }

    [Fact]
    public void Without_onlink_a_gateway_outside_every_subnet_is_refused_and_nothing_is_added()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);

        var error = Assert.Throws<NetlinkException>(() => netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = IPAddress.Parse("169.254.1.1"), InterfaceIndex = v0.Index }));

        Assert.NotEqual(0, error.Errno);
        Assert.Contains("0.0.0.0/0 via 169.254.1.1", error.Message, StringComparison.Ordinal);
        Assert.Empty(netlink.Routes.List(RouteFilter.Tabby));
    }

    [Fact]
    public void A_blackhole_route_round_trips_as_a_blackhole()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        netlink.Routes.Add(Route.Blackhole(IpPrefix.Parse("10.20.1.0/26")));

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("10.20.1.0/26"), route.Destination);
        Assert.Equal(RouteType.Blackhole, route.Type);
        Assert.Equal(0, route.InterfaceIndex);
        Assert.Null(route.Gateway);
    }

    [Fact]
    public void Routes_to_one_destination_with_different_metrics_coexist_and_report_their_metric()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        Underlay(netlink);
        var destination = IpPrefix.Parse("10.30.0.0/24");

        netlink.Routes.Add(Route.Via(destination, s_neighbour) with { Metric = 100 });
        netlink.Routes.Add(Route.Via(destination, s_otherNeighbour) with { Metric = 200 });

        var routes = netlink.Routes.List(RouteFilter.Tabby).OrderBy(r => r.Metric).ToList();
        Assert.Equal(2, routes.Count);
        Assert.Equal((100u, s_neighbour), (routes[0].Metric!.Value, routes[0].Gateway!));
        Assert.Equal((200u, s_otherNeighbour), (routes[1].Metric!.Value, routes[1].Gateway!));
    }

    [Fact]
    public void Adding_a_route_that_is_already_there_fails_with_EEXIST_and_the_route_in_the_message()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var route = Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index);
        netlink.Routes.Add(route);

        var error = Assert.Throws<NetlinkException>(() => netlink.Routes.Add(route));

        Assert.Equal(17, error.Errno);
        Assert.Equal("EEXIST", error.ErrnoName);
        Assert.Contains($"10.20.1.2/32 dev {v0.Index}", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.20.1.2/32", error.Request, StringComparison.Ordinal);
        Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
    }

    [Fact]
    public void Replace_changes_an_existing_route_in_place_and_adds_a_missing_one()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        Underlay(netlink);
        var destination = IpPrefix.Parse("10.30.0.0/24");

        netlink.Routes.Replace(Route.Via(destination, s_neighbour));
        var first = netlink.Routes.List(RouteFilter.Tabby);
        netlink.Routes.Replace(Route.Via(destination, s_otherNeighbour));
        var second = netlink.Routes.List(RouteFilter.Tabby);

        Assert.Equal(s_neighbour, Assert.Single(first).Gateway);
        Assert.Equal(s_otherNeighbour, Assert.Single(second).Gateway);
    }

    [Fact]
    public void Delete_removes_only_the_route_it_names()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var workload = Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index);
        var block = Route.Blackhole(IpPrefix.Parse("10.20.1.0/26"));
        var low = Route.Via(IpPrefix.Parse("10.30.0.0/24"), s_neighbour) with { Metric = 100 };
        var high = Route.Via(IpPrefix.Parse("10.30.0.0/24"), s_otherNeighbour) with { Metric = 200 };
        foreach (var route in new[] { workload, block, low, high })
            netlink.Routes.Add(route);

        netlink.Routes.Delete(workload);
        netlink.Routes.Delete(block);
        netlink.Routes.Delete(high);

        var left = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("10.30.0.0/24"), left.Destination);
        Assert.Equal(100u, left.Metric);
    }

    [Fact]
    public void Deleting_a_route_that_is_not_there_fails_with_ESRCH()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);

        var error = Assert.Throws<NetlinkException>(() => netlink.Routes.Delete(Route.ToWorkload(IpPrefix.Parse("10.20.1.9/32"), v0.Index)));

        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.Contains("RTM_DELROUTE 10.20.1.9/32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_with_another_protocol_number_leaves_somebody_elses_route_alone()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var theirs = Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index) with { Protocol = RouteProtocol.Bird };
        netlink.Routes.Add(theirs);

        var error = Assert.Throws<NetlinkException>(() => netlink.Routes.Delete(theirs with { Protocol = RouteProtocol.Tabby }));

        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.Single(netlink.Routes.List(new RouteFilter { Protocol = RouteProtocol.Bird }));
    }

    [Fact]
    public void A_route_in_a_non_main_table_is_listed_with_its_table_only()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        // 100 fits rtm_table; 1000 only travels in RTA_TABLE.
        var small = Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index) with { Table = 100 };
        var big = Route.ToWorkload(IpPrefix.Parse("10.20.1.3/32"), v0.Index) with { Table = 1000 };

        netlink.Routes.Add(small);
        netlink.Routes.Add(big);
        var main = netlink.Routes.List(RouteFilter.Tabby);
        var in100 = netlink.Routes.List(new RouteFilter { Table = 100 });
        var in1000 = netlink.Routes.List(new RouteFilter { Table = 1000 });
        netlink.Routes.Delete(big);
        var in1000AfterDelete = netlink.Routes.List(new RouteFilter { Table = 1000 });

        Assert.Empty(main);
        var listed100 = Assert.Single(in100);
        Assert.Equal((IpPrefix.Parse("10.20.1.2/32"), 100u), (listed100.Destination, listed100.Table));
        var listed1000 = Assert.Single(in1000);
        Assert.Equal((IpPrefix.Parse("10.20.1.3/32"), 1000u), (listed1000.Destination, listed1000.Table));
        Assert.Empty(in1000AfterDelete);
    }

    [Fact]
    public void An_ECMP_route_with_two_next_hops_round_trips_through_List()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var v1 = netlink.Links.GetRequired("v1");
        netlink.Addresses.Add(new InterfaceAddress(v1.Index, IPAddress.Parse("192.168.9.1"), 24));
        var hops = new[]
        {
            new NextHop(s_neighbour, v0.Index, Weight: 1),
            new NextHop(IPAddress.Parse("192.168.9.2"), v1.Index, Weight: 3),
        };

        netlink.Routes.Add(new Route(IpPrefix.Parse("10.40.0.0/16")) { NextHops = hops });

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("10.40.0.0/16"), route.Destination);
        Assert.NotNull(route.NextHops);
        Assert.Equal(hops, route.NextHops.OrderBy(h => h.Weight));
        netlink.Routes.Delete(new Route(IpPrefix.Parse("10.40.0.0/16")));
        Assert.Empty(netlink.Routes.List(RouteFilter.Tabby));
    }

    [Fact]
    public void An_IPv6_ECMP_route_with_two_link_local_next_hops_round_trips_through_List()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var v1 = netlink.Links.GetRequired("v1");
        var hops = new[]
        {
            new NextHop(IPAddress.Parse("fe80::2"), v0.Index, Weight: 1),
            new NextHop(IPAddress.Parse("fe80::3"), v1.Index, Weight: 2),
        };

        netlink.Routes.Add(new Route(IpPrefix.Parse("2001:db8:40::/64")) { NextHops = hops });

        var route = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(IpPrefix.Parse("2001:db8:40::/64"), route.Destination);
        Assert.NotNull(route.NextHops);
        Assert.Equal(hops, route.NextHops.OrderBy(h => h.Weight));
    }

    [Fact]
    public void A_preferred_source_round_trips_through_List()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        Underlay(netlink);

        netlink.Routes.Add(Route.Via(IpPrefix.Parse("10.30.0.0/24"), s_neighbour) with { PreferredSource = IPAddress.Parse("192.168.7.1") });

        Assert.Equal(IPAddress.Parse("192.168.7.1"), Assert.Single(netlink.Routes.List(RouteFilter.Tabby)).PreferredSource);
    }

    [Fact]
    public void A_dump_filtered_by_protocol_returns_no_route_of_another_protocol()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.50.0.1/32"), v0.Index));
        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.51.0.1/32"), v0.Index) with { Protocol = RouteProtocol.Static });
        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.52.0.1/32"), v0.Index) with { Protocol = RouteProtocol.Bird });

        var ours = netlink.Routes.List(RouteFilter.Tabby);
        var statics = netlink.Routes.List(new RouteFilter { Protocol = RouteProtocol.Static });
        var everything = netlink.Routes.List();

        Assert.Equal([IpPrefix.Parse("10.50.0.1/32")], ours.Select(r => r.Destination));
        Assert.Equal([IpPrefix.Parse("10.51.0.1/32")], statics.Select(r => r.Destination));
        Assert.Contains(everything, r => r.Protocol == RouteProtocol.Bird);
        Assert.Contains(everything, r => r.Protocol == RouteProtocol.Kernel && r.Destination == IpPrefix.Parse("192.168.7.0/24"));
    }

    [Fact]
    public void A_dump_filtered_by_family_returns_only_that_family()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.50.0.1/32"), v0.Index));
        netlink.Routes.Add(new Route(IpPrefix.Parse("2001:db8:9::/64")) { InterfaceIndex = v0.Index });

        var v4 = netlink.Routes.List(RouteFilter.Tabby with { Family = AddressFamily.InterNetwork });
        var v6 = netlink.Routes.List(RouteFilter.Tabby with { Family = AddressFamily.InterNetworkV6 });

        Assert.Equal([IpPrefix.Parse("10.50.0.1/32")], v4.Select(r => r.Destination));
        Assert.Equal([IpPrefix.Parse("2001:db8:9::/64")], v6.Select(r => r.Destination));
    }

    [Fact]
    public void IPv6_routes_through_an_interface_and_to_a_blackhole_round_trip_with_the_kernel_default_metric()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);

        netlink.Routes.Add(new Route(IpPrefix.Parse("2001:db8:9::/64")) { InterfaceIndex = v0.Index });
        netlink.Routes.Add(Route.Blackhole(IpPrefix.Parse("2001:db8:a::/122")));
        var routes = netlink.Routes.List(RouteFilter.Tabby);
        netlink.Routes.DeleteMany(routes);

        var direct = Assert.Single(routes, r => r.Type == RouteType.Unicast);
        Assert.Equal(IpPrefix.Parse("2001:db8:9::/64"), direct.Destination);
        Assert.Equal(v0.Index, direct.InterfaceIndex);
        Assert.Equal(1024u, direct.Metric);
        var blackhole = Assert.Single(routes, r => r.Type == RouteType.Blackhole);
        Assert.Equal(IpPrefix.Parse("2001:db8:a::/122"), blackhole.Destination);
        Assert.Empty(netlink.Routes.List(RouteFilter.Tabby));
    }

    [Fact]
    public void AddMany_and_DeleteMany_apply_a_few_thousand_routes()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var routes = Workloads(v0.Index, 3000);

        netlink.Routes.AddMany(routes);
        var afterAdd = netlink.Routes.List(RouteFilter.Tabby);
        netlink.Routes.DeleteMany(routes);
        var afterDelete = netlink.Routes.List(RouteFilter.Tabby);

        Assert.Equal(3000, afterAdd.Count);
        Assert.Equal(routes.Select(r => r.Destination).Order(), afterAdd.Select(r => r.Destination).Order());
        Assert.All(afterAdd, r => Assert.Equal((RouteScope.Link, v0.Index), (r.Scope, r.InterfaceIndex)));
        Assert.Empty(afterDelete);
    }

    [Fact]
    public void ReplaceMany_converges_existing_and_missing_routes()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var routes = Workloads(v0.Index, 2000);
        netlink.Routes.AddMany(routes.Take(1000));

        netlink.Routes.ReplaceMany(routes);

        Assert.Equal(2000, netlink.Routes.List(RouteFilter.Tabby).Count);
    }

    [Fact]
    public void A_batch_with_failing_routes_reports_each_failure_and_applies_the_rest()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var routes = Workloads(v0.Index, 3000);
        // Failures early, in the middle and last, so they fall in different sendmsg packets.
        int[] failing = [7, 1500, 2999];
        foreach (var i in failing)
            netlink.Routes.Add(routes[i]);

        var error = Assert.Throws<NetlinkBatchException>(() => netlink.Routes.AddMany(routes));

        Assert.Equal(3000, error.Total);
        Assert.Equal(failing.Length, error.Failures.Count);
        Assert.All(error.Failures, f => Assert.Equal(Errno.EEXIST, f.Errno));
        Assert.Equal(failing.Select(i => routes[i].ToString()), error.Failures.Select(f => f.Request["RTM_NEWROUTE add ".Length..]));
        Assert.Contains("3 of 3000 requests failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(3000, netlink.Routes.List(RouteFilter.Tabby).Count);
    }

    [Fact]
    public void TryReplaceMany_returns_each_route_the_kernel_refused_with_its_error_and_applies_the_rest()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        Underlay(netlink);
        var reachable = Route.Via(IpPrefix.Parse("10.20.2.0/26"), IPAddress.Parse("192.168.7.2"));
        var unreachable = Route.Via(IpPrefix.Parse("10.20.3.0/26"), IPAddress.Parse("172.16.0.1"));

        var refused = netlink.Routes.TryReplaceMany([reachable, unreachable]);

        var (route, error) = Assert.Single(refused);
        Assert.Equal(unreachable, route);
        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.StartsWith("Network is unreachable (ENETUNREACH)", error.Reason, StringComparison.Ordinal);
        Assert.Equal($"{error.Request}: {error.Reason}", error.Message);
        Assert.Equal([reachable.Destination], netlink.Routes.List(RouteFilter.Tabby).Select(r => r.Destination));
        Assert.Empty(netlink.Routes.TryReplaceMany([reachable]));
    }

    [Fact]
    public void A_batch_delete_of_routes_partly_missing_reports_the_missing_ones_and_deletes_the_rest()
    {
        using var namespaces = new NamespaceSet("rt");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = Underlay(netlink);
        var routes = Workloads(v0.Index, 1000);
        netlink.Routes.AddMany(routes.Where((_, i) => i != 10 && i != 900));

        var error = Assert.Throws<NetlinkBatchException>(() => netlink.Routes.DeleteMany(routes));

        Assert.Equal(2, error.Failures.Count);
        Assert.All(error.Failures, f => Assert.Equal(Errno.ESRCH, f.Errno));
        Assert.Contains(routes[10].Destination.ToString(), error.Failures[0].Message, StringComparison.Ordinal);
        Assert.Contains(routes[900].Destination.ToString(), error.Failures[1].Message, StringComparison.Ordinal);
        Assert.Empty(netlink.Routes.List(RouteFilter.Tabby));
    }

    /// <summary>A veth pair with both ends up and 192.168.7.1/24 on v0, so gateways in 192.168.7.0/24 are reachable.</summary>
    private static Link Underlay(RtNetlinkClient netlink)
    {
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        netlink.Links.SetUp(netlink.Links.GetRequired("v1").Index, true);
        netlink.Addresses.Add(new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24));
        return v0;
    }

    private static List<Route> Workloads(int interfaceIndex, int count) =>
        Enumerable.Range(0, count)
            .Select(i => Route.ToWorkload(IpPrefix.V4((10u << 24) | (100u << 16) | (uint)i, 32), interfaceIndex))
            .ToList();
}
