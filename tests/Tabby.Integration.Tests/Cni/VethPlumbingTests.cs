using System.Net;
using Tabby.Cni.Dataplane;
using Tabby.Cni.Protocol;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Sysctls;

namespace Tabby.Integration.Tests.Cni;

/// <summary>The plugin's veth plumbing run in this process against namespaces of the test's own, the host's among them.</summary>
/// <remarks>The host side's IPv6 settings exist only in the test's host namespace; read from this thread's namespace (the
/// machine's) the interface is missing, which looks like IPv6 being off.</remarks>
public sealed class VethPlumbingTests
{
    private static readonly IPAddress[] s_ipv6 = [IPAddress.Parse("fd00:96::5")];

    [Fact]
    public void The_IPv6_gateway_is_the_host_sides_link_local_address()
    {
        using var namespaces = new NamespaceSet("veth");
        var hostNamespace = namespaces.Create("host");
        var container = namespaces.Create("wl");
        using var host = RtNetlinkClient.Open(hostNamespace);
        using var inside = RtNetlinkClient.Open(container);

        var created = VethPlumbing.Create(hostNamespace, host, container, inside, "cali0123456789a", "eth0", s_ipv6, mtu: 0, containerMac: null, allowIpForwarding: false);

        var route = Assert.Single(created.Routes);
        Assert.Equal(IpPrefix.Parse("::/0"), route.Destination);
        Assert.Equal(VethPlumbing.Eui64LinkLocal(MacAddress.HostSideWorkload), route.Gateway);
    }

    [Fact]
    public void IPv6_on_in_the_host_namespace_is_not_mistaken_for_off_when_the_link_local_address_is_slow()
    {
        using var namespaces = new NamespaceSet("veth");
        var hostNamespace = namespaces.Create("host");
        var container = namespaces.Create("wl");
        // No automatic link-local address on the host side: the plugin must look at the host side's IPv6 settings.
        new Sysctl(hostNamespace).Write("net/ipv6/conf/default/addr_gen_mode", "1");
        using var host = RtNetlinkClient.Open(hostNamespace);
        using var inside = RtNetlinkClient.Open(container);

        var refused = Assert.Throws<CniException>(() =>
            VethPlumbing.Create(hostNamespace, host, container, inside, "cali0123456789a", "eth0", s_ipv6, mtu: 0, containerMac: null, allowIpForwarding: false));

        Assert.Contains("got no IPv6 link-local address", refused.Message, StringComparison.Ordinal);
        Assert.Null(host.Links.Get("cali0123456789a")); // rolled back
    }

    [Fact]
    public void IPv6_off_in_the_host_namespace_is_reported_as_such()
    {
        using var namespaces = new NamespaceSet("veth");
        var hostNamespace = namespaces.Create("host");
        var container = namespaces.Create("wl");
        new Sysctl(hostNamespace).Write("net/ipv6/conf/default/disable_ipv6", "1");
        using var host = RtNetlinkClient.Open(hostNamespace);
        using var inside = RtNetlinkClient.Open(container);

        var refused = Assert.Throws<CniException>(() =>
            VethPlumbing.Create(hostNamespace, host, container, inside, "cali0123456789a", "eth0", s_ipv6, mtu: 0, containerMac: null, allowIpForwarding: false));

        Assert.Contains("IPv6 is disabled on host interface cali0123456789a", refused.Message, StringComparison.Ordinal);
        Assert.Null(host.Links.Get("cali0123456789a"));
    }
}
