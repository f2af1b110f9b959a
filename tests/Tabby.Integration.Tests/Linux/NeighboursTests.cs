using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Neighbours;

namespace Tabby.Integration.Tests.Linux;

public sealed class NeighboursTests
{
    private static readonly MacAddress s_mac = MacAddress.Parse("02:00:00:00:00:09");
    private static readonly MacAddress s_otherMac = MacAddress.Parse("02:00:00:00:00:0a");

    [Theory]
    [InlineData("192.168.7.9")]
    [InlineData("2001:db8:7::9")]
    public void A_permanent_neighbour_is_added_listed_and_deleted(string address)
    {
        using var namespaces = new NamespaceSet("nei");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var neighbour = new Neighbour(v0.Index, IPAddress.Parse(address), s_mac);

        netlink.Neighbours.Add(neighbour);
        var listed = netlink.Neighbours.List(v0.Index);
        netlink.Neighbours.Delete(neighbour);
        var afterDelete = netlink.Neighbours.List(v0.Index);

        Assert.Contains(neighbour, listed);
        Assert.Equal(NeighbourState.Permanent, listed.Single(n => n.Address.Equals(neighbour.Address)).State);
        Assert.DoesNotContain(afterDelete, n => n.Address.Equals(neighbour.Address));
    }

    [Theory]
    [InlineData("192.168.7.9")]
    [InlineData("2001:db8:7::9")]
    public void Replace_overwrites_the_MAC_of_an_existing_neighbour_and_adds_a_missing_one(string address)
    {
        using var namespaces = new NamespaceSet("nei");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var neighbour = new Neighbour(v0.Index, IPAddress.Parse(address), s_mac);

        netlink.Neighbours.Replace(neighbour);
        var first = netlink.Neighbours.List(v0.Index).Single(n => n.Address.Equals(neighbour.Address));
        netlink.Neighbours.Replace(neighbour with { Mac = s_otherMac });
        var second = netlink.Neighbours.List(v0.Index).Single(n => n.Address.Equals(neighbour.Address));

        Assert.Equal(s_mac, first.Mac);
        Assert.Equal(s_otherMac, second.Mac);
        Assert.Equal(NeighbourState.Permanent, second.State);
    }

    [Fact]
    public void Adding_a_neighbour_that_is_already_there_fails_with_EEXIST()
    {
        using var namespaces = new NamespaceSet("nei");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var neighbour = new Neighbour(v0.Index, IPAddress.Parse("192.168.7.9"), s_mac);
        netlink.Neighbours.Add(neighbour);

        var error = Assert.Throws<NetlinkException>(() => netlink.Neighbours.Add(neighbour with { Mac = s_otherMac }));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("192.168.7.9", error.Message, StringComparison.Ordinal);
        Assert.Equal(s_mac, netlink.Neighbours.List(v0.Index).Single(n => n.Address.Equals(neighbour.Address)).Mac);
    }

    [Fact]
    public void Deleting_a_neighbour_that_is_not_there_fails_with_ENOENT()
    {
        using var namespaces = new NamespaceSet("nei");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));

        var error = Assert.Throws<NetlinkException>(() => netlink.Neighbours.Delete(new Neighbour(v0.Index, IPAddress.Parse("192.168.7.9"), null)));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("RTM_DELNEIGH 192.168.7.9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_by_interface_returns_only_that_interfaces_neighbours()
    {
        using var namespaces = new NamespaceSet("nei");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var v1 = netlink.Links.GetRequired("v1");
        var onV0 = new Neighbour(v0.Index, IPAddress.Parse("192.168.7.9"), s_mac);
        var onV1 = new Neighbour(v1.Index, IPAddress.Parse("192.168.8.9"), s_otherMac);
        netlink.Neighbours.Add(onV0);
        netlink.Neighbours.Add(onV1);

        var listedV0 = netlink.Neighbours.List(v0.Index);
        var all = netlink.Neighbours.List();

        Assert.Contains(onV0, listedV0);
        Assert.DoesNotContain(onV1, listedV0);
        Assert.Contains(onV0, all);
        Assert.Contains(onV1, all);
    }
}
