using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Calc;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Tests.Dataplane;

public sealed class EndpointManagerTests
{
    private static Link L(int index, string name) => new() { Index = index, Name = name };

    private static LocalEndpoint E(string name, string iface, params string[] addresses) =>
        new(new EndpointId("default", name), iface, [.. addresses.Select(IpPrefix.Parse)], null);

    [Fact]
    public void An_endpoints_interface_is_opened_once_and_routed()
    {
        var manager = new EndpointManager();
        manager.Upsert(E("w1", "cali0000000001", "10.20.1.2/32"));
        var (sysctls, routes) = manager.Plan([L(1, "eth0"), L(7, "cali0000000001")]);

        Assert.Equal(
            ["net.ipv4.conf.cali0000000001.proxy_arp=1", "net.ipv4.neigh.cali0000000001.proxy_delay=0", "net.ipv4.conf.cali0000000001.rp_filter=1", "net.ipv4.conf.cali0000000001.forwarding=1"],
            sysctls.Select(s => s.ToString()));
        var route = Assert.Single(routes);
        Assert.Equal(Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), 7), route);

        var (again, routesAgain) = manager.Plan([L(1, "eth0"), L(7, "cali0000000001")]);
        Assert.Empty(again);
        Assert.Single(routesAgain);
        Assert.Equal(1, manager.Programmed);
    }

    [Fact]
    public void An_interface_without_an_endpoint_is_closed_and_reopened_when_one_appears()
    {
        var manager = new EndpointManager();
        var (closed, routes) = manager.Plan([L(7, "cali0000000001"), L(8, "veth0")]);
        Assert.Equal(["net.ipv4.conf.cali0000000001.proxy_arp=0", "net.ipv4.conf.cali0000000001.forwarding=0"], closed.Select(s => s.ToString()));
        Assert.Empty(routes);

        manager.Upsert(E("w1", "cali0000000001", "10.20.1.2/32"));
        Assert.Contains("net.ipv4.conf.cali0000000001.proxy_arp=1", manager.Plan([L(7, "cali0000000001")]).Sysctls.Select(s => s.ToString()));

        manager.Remove(new EndpointId("default", "w1"));
        var (reclosed, none) = manager.Plan([L(7, "cali0000000001")]);
        Assert.Contains("net.ipv4.conf.cali0000000001.forwarding=0", reclosed.Select(s => s.ToString()));
        Assert.Empty(none);
    }

    [Fact]
    public void A_recreated_interface_is_configured_again_and_an_ipv6_endpoint_gets_ipv6_settings()
    {
        var manager = new EndpointManager();
        manager.Upsert(E("w1", "cali0000000001", "10.20.1.2/32", "fd00::2/128"));
        Assert.Contains("net.ipv6.conf.cali0000000001.proxy_ndp=1", manager.Plan([L(7, "cali0000000001")]).Sysctls.Select(s => s.ToString()));
        var (sysctls, routes) = manager.Plan([L(9, "cali0000000001")]);
        Assert.Contains("net.ipv6.conf.cali0000000001.accept_ra=0", sysctls.Select(s => s.ToString()));
        Assert.All(routes, r => Assert.Equal(9, r.InterfaceIndex));
        Assert.Equal(2, routes.Count);
    }

    [Fact]
    public void An_endpoint_whose_interface_does_not_exist_yet_gets_nothing_until_it_does()
    {
        var manager = new EndpointManager();
        manager.Upsert(E("w1", "cali0000000001", "10.20.1.2/32"));
        var (sysctls, routes) = manager.Plan([L(1, "eth0")]);
        Assert.Empty(sysctls);
        Assert.Empty(routes);
        Assert.Equal(0, manager.Programmed);
    }
}
