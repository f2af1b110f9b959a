using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Tests.Dataplane;

/// <summary>Learned next hops in other subnets go via the gateway that reaches them, as BIRD's <c>gateway recursive</c>.</summary>
public sealed class NextHopResolverTests
{
    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    private static IPAddress A(string text) => IPAddress.Parse(text);

    private static Route Connected(string prefix) => new(P(prefix)) { Protocol = RouteProtocol.Kernel, Scope = RouteScope.Link, InterfaceIndex = 2 };

    private static Route Static(string prefix, string gateway) => Route.Via(P(prefix), A(gateway)) with { Protocol = RouteProtocol.Static };

    private static Route Learned(string prefix, string gateway) => Route.Via(P(prefix), A(gateway));

    [Fact]
    public void A_next_hop_on_a_connected_subnet_is_kept()
    {
        var route = Learned("10.20.2.0/26", "192.168.0.3");
        Assert.Equal(route, Assert.Single(NextHopResolver.Resolve([route], [Connected("192.168.0.0/24")], out var follows)));
        Assert.False(follows); // nothing but the connected subnet matters
    }

    [Theory]
    [InlineData("192.168.1.3")] // resolved through the router's route
    [InlineData("172.16.0.1")]  // not resolvable yet: a route that appears later may resolve it
    public void A_next_hop_off_the_connected_subnets_makes_the_answer_follow_other_routes(string gateway)
    {
        NextHopResolver.Resolve([Learned("10.20.2.0/26", gateway)], [Connected("192.168.0.0/24"), Static("192.168.1.0/24", "192.168.0.1")], out var follows);
        Assert.True(follows);
    }

    [Fact]
    public void A_next_hop_in_another_subnet_goes_via_the_router_that_reaches_it()
    {
        var resolved = NextHopResolver.Resolve(
            [Learned("10.20.2.0/26", "192.168.1.3"), Learned("10.20.3.0/26", "192.168.0.4")],
            [Connected("192.168.0.0/24"), Static("192.168.1.0/24", "192.168.0.1"), Static("0.0.0.0/0", "192.168.0.254")]);

        Assert.Equal(A("192.168.0.1"), resolved[0].Gateway);
        Assert.Equal(A("192.168.0.4"), resolved[1].Gateway);
    }

    [Fact]
    public void Resolution_follows_learned_routes_too_such_as_a_default_from_the_top_of_rack()
    {
        var resolved = NextHopResolver.Resolve(
            [Learned("0.0.0.0/0", "192.168.0.1"), Learned("10.20.9.0/26", "172.16.5.9")],
            [Connected("192.168.0.0/24")]);

        Assert.Equal(A("192.168.0.1"), resolved[1].Gateway);
    }

    [Fact]
    public void A_route_is_never_resolved_through_itself()
    {
        // 10.0.0.0/8 announced with a next hop inside 10.0.0.0/8: only the default can carry it.
        var resolved = NextHopResolver.Resolve(
            [Learned("10.0.0.0/8", "10.9.9.9"), Learned("10.20.0.0/26", "10.9.9.9")],
            [Connected("192.168.0.0/24"), Static("0.0.0.0/0", "192.168.0.254")]);

        Assert.Equal(A("192.168.0.254"), resolved[0].Gateway);
        Assert.Equal(A("192.168.0.254"), resolved[1].Gateway); // through 10.0.0.0/8, then the default
    }

    [Fact]
    public void An_unreachable_next_hop_or_one_behind_a_blackhole_is_left_as_announced()
    {
        var unreachable = Learned("10.20.2.0/26", "172.16.0.1");
        var blackholed = Learned("10.20.3.0/26", "10.99.0.1");
        var reachable = Learned("10.20.4.0/26", "192.168.0.4");
        var resolved = NextHopResolver.Resolve([unreachable, blackholed, reachable], [Connected("192.168.0.0/24"), Route.Blackhole(P("10.99.0.0/16")) with { Protocol = RouteProtocol.Static }], out _, out var unresolved);

        Assert.Equal([unreachable, blackholed, reachable], resolved);
        Assert.Equal([unreachable.Destination, blackholed.Destination], unresolved.Order());
    }

    [Fact]
    public void A_loop_of_next_hops_ends_unresolved()
    {
        var resolved = NextHopResolver.Resolve(
            [Learned("172.16.1.0/24", "172.16.2.1"), Learned("172.16.2.0/24", "172.16.1.1"), Learned("10.20.2.0/26", "172.16.1.9")],
            [Connected("192.168.0.0/24")], out _, out var unresolved);

        Assert.Equal(A("172.16.1.9"), resolved[2].Gateway);
        Assert.Equal(3, unresolved.Count);
    }
}
