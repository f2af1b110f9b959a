using System.Net;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Integration.Tests.Linux;

public sealed class AddressesTests
{
    [Fact]
    public void An_IPv4_address_is_added_listed_and_deleted()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var address = new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24);

        netlink.Addresses.Add(address);
        var listed = netlink.Addresses.List(v0.Index);
        netlink.Addresses.Delete(address);
        var afterDelete = netlink.Addresses.List(v0.Index);

        var found = Assert.Single(listed, a => !a.IsIPv6);
        Assert.Equal(IPAddress.Parse("192.168.7.1"), found.Address);
        Assert.Equal(24, found.PrefixLength);
        Assert.Equal(v0.Index, found.InterfaceIndex);
        Assert.Equal(0, found.Scope);
        Assert.Equal("v0", found.Label);
        Assert.DoesNotContain(afterDelete, a => !a.IsIPv6);
    }

    [Fact]
    public void An_IPv6_address_is_added_listed_and_deleted()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });
        var address = new InterfaceAddress(v0.Index, IPAddress.Parse("2001:db8:7::1"), 64);

        netlink.Addresses.Add(address);
        var listed = netlink.Addresses.List(v0.Index);
        netlink.Addresses.Delete(address);
        var afterDelete = netlink.Addresses.List(v0.Index);

        var found = Assert.Single(listed, a => a.Address.Equals(IPAddress.Parse("2001:db8:7::1")));
        Assert.True(found.IsIPv6);
        Assert.Equal(64, found.PrefixLength);
        Assert.Equal(v0.Index, found.InterfaceIndex);
        Assert.DoesNotContain(afterDelete, a => a.Address.Equals(IPAddress.Parse("2001:db8:7::1")));
    }

    [Fact]
    public void List_by_interface_returns_only_that_interface_and_List_of_all_returns_every_one()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });
        var v1 = netlink.Links.GetRequired("v1");
        netlink.Addresses.Add(new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24));
        netlink.Addresses.Add(new InterfaceAddress(v1.Index, IPAddress.Parse("192.168.8.1"), 24));
        netlink.Addresses.Add(new InterfaceAddress(v1.Index, IPAddress.Parse("2001:db8:8::1"), 64));

        var onV0 = netlink.Addresses.List(v0.Index);
        var onV1 = netlink.Addresses.List(v1.Index);
        var all = netlink.Addresses.List();

        Assert.All(onV0, a => Assert.Equal(v0.Index, a.InterfaceIndex));
        Assert.All(onV1, a => Assert.Equal(v1.Index, a.InterfaceIndex));
        Assert.Contains(onV0, a => a.Address.Equals(IPAddress.Parse("192.168.7.1")));
        Assert.Contains(onV1, a => a.Address.Equals(IPAddress.Parse("192.168.8.1")));
        Assert.Contains(onV1, a => a.Address.Equals(IPAddress.Parse("2001:db8:8::1")));
        Assert.Contains(all, a => a.Address.Equals(IPAddress.Parse("192.168.7.1")));
        Assert.Contains(all, a => a.Address.Equals(IPAddress.Parse("2001:db8:8::1")));
    }

    [Fact]
    public void Adding_an_address_that_is_already_there_fails_with_EEXIST_and_the_address_in_the_message()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });
        var v4 = new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24);
        var v6 = new InterfaceAddress(v0.Index, IPAddress.Parse("2001:db8:7::1"), 64);
        netlink.Addresses.Add(v4);
        netlink.Addresses.Add(v6);

        var again4 = Assert.Throws<NetlinkException>(() => netlink.Addresses.Add(v4));
        var again6 = Assert.Throws<NetlinkException>(() => netlink.Addresses.Add(v6));

        Assert.Equal(Errno.EEXIST, again4.Errno);
        Assert.Contains("192.168.7.1/24", again4.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.EEXIST, again6.Errno);
        Assert.Contains("2001:db8:7::1/64", again6.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_adds_a_missing_address_and_overwrites_an_existing_one_without_EEXIST()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });
        var v4 = new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24);
        var v6 = new InterfaceAddress(v0.Index, IPAddress.Parse("2001:db8:7::1"), 64);

        netlink.Addresses.Replace(v4);
        netlink.Addresses.Replace(v6);
        var afterFirst = netlink.Addresses.List(v0.Index);
        netlink.Addresses.Replace(v4);
        netlink.Addresses.Replace(v6);
        var listed = netlink.Addresses.List(v0.Index);

        Assert.Equal(afterFirst.Count, listed.Count);
        var four = Assert.Single(listed, a => !a.IsIPv6);
        Assert.Equal(IPAddress.Parse("192.168.7.1"), four.Address);
        Assert.Equal(24, four.PrefixLength);
        Assert.Single(listed, a => a.Address.Equals(IPAddress.Parse("2001:db8:7::1")));
    }

    [Fact]
    public void Deleting_an_address_that_is_not_there_fails_with_EADDRNOTAVAIL()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });

        var error = Assert.Throws<NetlinkException>(() => netlink.Addresses.Delete(new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.9"), 24)));

        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
        Assert.Contains("RTM_DELADDR 192.168.7.9/24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prefix_length_over_the_family_maximum_is_refused_before_reaching_the_kernel()
    {
        using var namespaces = new NamespaceSet("addr");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });

        Assert.Throws<ArgumentOutOfRangeException>(() => netlink.Addresses.Add(new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 33)));
        Assert.Throws<ArgumentOutOfRangeException>(() => netlink.Addresses.Add(new InterfaceAddress(v0.Index, IPAddress.Parse("2001:db8::1"), 129)));
        Assert.Empty(netlink.Addresses.List(v0.Index));
    }
}
