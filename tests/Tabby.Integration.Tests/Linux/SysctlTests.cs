using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Sysctls;

namespace Tabby.Integration.Tests.Linux;

public sealed class SysctlTests
{
    [Fact]
    public void A_new_namespace_starts_with_ip_forward_off()
    {
        using var namespaces = new NamespaceSet("sys");

        Assert.Equal("0", new Sysctl(namespaces.Create("a")).Read("net/ipv4/ip_forward"));
    }

    [Fact]
    public void Ip_forward_set_in_one_namespace_is_not_set_in_another()
    {
        using var namespaces = new NamespaceSet("sys");
        var one = new Sysctl(namespaces.Create("a"));
        var other = new Sysctl(namespaces.Create("b"));

        one.Write(Sysctl.IpForward(true), Sysctl.Ipv6Forwarding(true));

        Assert.Equal("1", one.Read("net/ipv4/ip_forward"));
        Assert.Equal("1", one.Read("net/ipv6/conf/all/forwarding"));
        Assert.Equal("0", other.Read("net/ipv4/ip_forward"));
        Assert.Equal("0", other.Read("net/ipv6/conf/all/forwarding"));
    }

    [Fact]
    public void Proxy_arp_and_proxy_delay_are_set_on_one_interface()
    {
        using var namespaces = new NamespaceSet("sys");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        netlink.Links.CreateVeth(new VethSpec("cali0123456789a", "v1"));
        var sysctl = new Sysctl(ns);

        sysctl.Write(Sysctl.ProxyArp("cali0123456789a", true), Sysctl.ProxyDelay("cali0123456789a", 0));

        Assert.Equal("1", sysctl.Read("net/ipv4/conf/cali0123456789a/proxy_arp"));
        Assert.Equal("0", sysctl.Read("net/ipv4/neigh/cali0123456789a/proxy_delay"));
        Assert.Equal("0", sysctl.Read("net/ipv4/conf/v1/proxy_arp"));
        Assert.NotEqual("0", sysctl.Read("net/ipv4/neigh/v1/proxy_delay"));
    }

    [Fact]
    public void An_interface_name_with_a_dot_is_one_path_element_not_a_separator()
    {
        using var namespaces = new NamespaceSet("sys");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        netlink.Links.CreateBridge("vxlan.calico");
        var sysctl = new Sysctl(ns);

        sysctl.Write(Sysctl.ProxyArp("vxlan.calico", true));

        Assert.Equal("1", sysctl.Read("net/ipv4/conf/vxlan.calico/proxy_arp"));
        Assert.Equal("net.ipv4.conf.vxlan.calico.proxy_arp=1", Sysctl.ProxyArp("vxlan.calico", true).ToString());
    }

    [Fact]
    public void Per_interface_forwarding_rp_filter_accept_ra_and_proxy_ndp_round_trip()
    {
        using var namespaces = new NamespaceSet("sys");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var sysctl = new Sysctl(ns);

        sysctl.Write(
            Sysctl.Forwarding("v0", true),
            Sysctl.Forwarding("v0", true, ipv6: true),
            Sysctl.RpFilter("v0", 2),
            Sysctl.AcceptRa("v0", 0),
            Sysctl.ProxyNdp("v0", true));

        Assert.Equal("1", sysctl.Read("net/ipv4/conf/v0/forwarding"));
        Assert.Equal("1", sysctl.Read("net/ipv6/conf/v0/forwarding"));
        Assert.Equal("2", sysctl.Read("net/ipv4/conf/v0/rp_filter"));
        Assert.Equal("0", sysctl.Read("net/ipv6/conf/v0/accept_ra"));
        Assert.Equal("1", sysctl.Read("net/ipv6/conf/v0/proxy_ndp"));
    }

    [Fact]
    public void A_sysctl_of_a_missing_interface_throws_a_SysctlException_naming_it()
    {
        using var namespaces = new NamespaceSet("sys");
        var sysctl = new Sysctl(namespaces.Create("a"));

        var write = Assert.Throws<SysctlException>(() => sysctl.Write(Sysctl.ProxyArp("missing0", true)));
        var read = Assert.Throws<SysctlException>(() => sysctl.Read("net/ipv4/conf/missing0/proxy_arp"));

        Assert.Contains("net.ipv4.conf.missing0.proxy_arp does not exist", write.Message, StringComparison.Ordinal);
        Assert.Contains("net.ipv4.conf.missing0.proxy_arp does not exist", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_reads_several_in_order_with_null_for_one_that_does_not_exist()
    {
        using var namespaces = new NamespaceSet("sys");
        var sysctl = new Sysctl(namespaces.Create("a"));
        sysctl.Write(Sysctl.IpForward(true));

        Assert.Equal(["1", null, "0"], sysctl.TryRead("net/ipv4/ip_forward", "net/ipv4/conf/missing0/proxy_arp", "net/ipv6/conf/all/forwarding"));
    }

    [Fact]
    public void Writing_stops_at_the_first_failure_after_applying_the_settings_before_it()
    {
        using var namespaces = new NamespaceSet("sys");
        var sysctl = new Sysctl(namespaces.Create("a"));

        Assert.Throws<SysctlException>(() => sysctl.Write(Sysctl.IpForward(true), Sysctl.ProxyArp("missing0", true), Sysctl.Ipv6Forwarding(true)));

        Assert.Equal("1", sysctl.Read("net/ipv4/ip_forward"));
        Assert.Equal("0", sysctl.Read("net/ipv6/conf/all/forwarding"));
    }

    [Fact]
    public void A_value_the_kernel_refuses_throws_a_SysctlException_with_the_key_and_value()
    {
        using var namespaces = new NamespaceSet("sys");
        var sysctl = new Sysctl(namespaces.Create("a"));

        var error = Assert.Throws<SysctlException>(() => sysctl.Write("net/ipv4/ip_forward", "yes"));

        Assert.Contains("writing yes to sysctl net.ipv4.ip_forward", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", sysctl.Read("net/ipv4/ip_forward"));
    }

    [Theory]
    [InlineData("/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net/../kernel/hostname")]
    public void A_key_outside_proc_sys_is_refused(string key)
    {
        using var namespaces = new NamespaceSet("sys");
        var sysctl = new Sysctl(namespaces.Create("a"));

        var error = Assert.Throws<ArgumentException>(() => sysctl.Read(key));

        Assert.Contains("is not a sysctl key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_name_over_15_characters_is_refused_before_any_write()
    {
        var error = Assert.Throws<ArgumentException>(() => Sysctl.ProxyArp("cali0123456789ab", true));

        Assert.StartsWith("interface name 'cali0123456789ab' is 16 characters", error.Message, StringComparison.Ordinal);
    }
}
