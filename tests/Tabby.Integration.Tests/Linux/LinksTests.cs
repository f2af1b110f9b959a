using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Integration.Tests.Linux;

public sealed class LinksTests
{
    [Fact]
    public void A_fresh_namespace_lists_only_loopback_and_Get_finds_it_by_name_and_by_index()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var links = netlink.Links.List();
        var byName = netlink.Links.Get("lo");
        var byIndex = netlink.Links.Get(byName!.Index);

        var lo = Assert.Single(links);
        Assert.Equal("lo", lo.Name);
        Assert.Equal(lo.Index, byName.Index);
        Assert.Equal("lo", byIndex!.Name);
        Assert.Equal(lo.Mtu, byIndex.Mtu);
    }

    [Fact]
    public void Get_returns_null_for_a_name_or_index_that_does_not_exist_and_GetRequired_throws_ENODEV()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        Assert.Null(netlink.Links.Get("missing0"));
        Assert.Null(netlink.Links.Get(4242));
        var error = Assert.Throws<NetlinkException>(() => netlink.Links.GetRequired("missing0"));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains("missing0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_and_Get_report_kind_mtu_mac_and_the_peer_index_of_a_veth()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var mac = MacAddress.Parse("02:00:00:00:00:01");

        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Mac = mac, Mtu = 1400 });
        var v1 = netlink.Links.GetRequired("v1");
        var listed = netlink.Links.List().Single(l => l.Name == "v0");

        Assert.Equal(v0, listed);
        Assert.Equal("veth", v0.Kind);
        Assert.Equal(1400, v0.Mtu);
        Assert.Equal(1400, v1.Mtu);
        Assert.Equal(mac, v0.Mac);
        Assert.Equal(v1.Index, v0.ParentIndex);
        Assert.Equal(v0.Index, v1.ParentIndex);
        Assert.True(v0.IsUp);
        Assert.False(v1.IsUp);
        Assert.False(v0.HasCarrier); // a veth has carrier only when both ends are up
    }

    [Fact]
    public void SetUp_brings_a_link_up_and_down_and_carrier_follows_both_ends()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });
        var v1 = netlink.Links.GetRequired("v1");
        Assert.False(v0.IsUp);

        netlink.Links.SetUp(v0.Index, true);
        netlink.Links.SetUp(v1.Index, true);
        var up = netlink.Links.Get(v0.Index)!;
        netlink.Links.SetUp(v0.Index, false);
        var down = netlink.Links.Get(v0.Index)!;

        Assert.True(up.IsUp);
        Assert.True(up.HasCarrier);
        Assert.False(down.IsUp);
        Assert.False(down.HasCarrier);
    }

    [Fact]
    public void SetMtu_and_SetMac_change_the_link()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));

        netlink.Links.SetMtu(v0.Index, 1280);
        netlink.Links.SetMac(v0.Index, MacAddress.HostSideWorkload);
        var changed = netlink.Links.Get(v0.Index)!;

        Assert.Equal(1280, changed.Mtu);
        Assert.Equal(MacAddress.HostSideWorkload, changed.Mac);
        Assert.True(changed.IsUp); // SetMac does not touch the state
    }

    [Fact]
    public void An_MTU_the_device_refuses_is_reported_with_the_request_and_changes_nothing()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));

        var error = Assert.Throws<NetlinkException>(() => netlink.Links.SetMtu(v0.Index, 10));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains("mtu 10", error.Message, StringComparison.Ordinal);
        // The kernel's extended ack says why; it is carried through to the exception.
        Assert.Contains("mtu", error.KernelMessage ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"kernel says: {error.KernelMessage}", error.Message, StringComparison.Ordinal);
        Assert.Equal(v0.Mtu, netlink.Links.Get(v0.Index)!.Mtu);
    }

    [Fact]
    public void Rename_keeps_the_index_and_frees_the_old_name()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });

        netlink.Links.Rename(v0.Index, "renamed0");

        Assert.Null(netlink.Links.Get("v0"));
        Assert.Equal(v0.Index, netlink.Links.GetRequired("renamed0").Index);
        Assert.Equal("renamed0", netlink.Links.Get(v0.Index)!.Name);
    }

    [Fact]
    public void Rename_to_a_name_over_15_characters_is_refused_before_reaching_the_kernel()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Up = false });

        var error = Assert.Throws<ArgumentException>(() => netlink.Links.Rename(v0.Index, "sixteen-chars-xx"));

        Assert.Equal("interface name 'sixteen-chars-xx' is 16 characters; Linux allows at most 15 (Parameter 'name')", error.Message);
        Assert.Equal("v0", netlink.Links.Get(v0.Index)!.Name);
    }

    [Fact]
    public void A_name_over_15_characters_is_refused_with_a_precise_ArgumentException_and_nothing_is_created()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var bridge = Assert.Throws<ArgumentException>(() => netlink.Links.CreateBridge("a-bridge-name-16"));
        var vxlan = Assert.Throws<ArgumentException>(() => netlink.Links.CreateVxlan(new VxlanSpec("a-vxlan-name-016", 1)));
        var get = Assert.Throws<ArgumentException>(() => netlink.Links.Get("a-missing-name16"));

        Assert.Equal("name", bridge.ParamName);
        Assert.StartsWith("interface name 'a-bridge-name-16' is 16 characters; Linux allows at most 15", bridge.Message, StringComparison.Ordinal);
        Assert.StartsWith("interface name 'a-vxlan-name-016' is 16 characters; Linux allows at most 15", vxlan.Message, StringComparison.Ordinal);
        Assert.StartsWith("interface name 'a-missing-name16' is 16 characters", get.Message, StringComparison.Ordinal);
        Assert.Equal(["lo"], netlink.Links.List().Select(l => l.Name));
    }

    [Fact]
    public void Creating_a_link_whose_name_is_taken_fails_with_EEXIST_and_leaves_the_existing_link_alone()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var existing = netlink.Links.CreateBridge("br0");

        var bridge = Assert.Throws<NetlinkException>(() => netlink.Links.CreateBridge("br0"));
        var veth = Assert.Throws<NetlinkException>(() => netlink.Links.CreateVeth(new VethSpec("br0", "v1")));

        Assert.Equal(Errno.EEXIST, bridge.Errno);
        Assert.Equal("EEXIST", bridge.ErrnoName);
        Assert.Contains("br0", bridge.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.EEXIST, veth.Errno);
        Assert.Contains("veth br0 peer v1", veth.Message, StringComparison.Ordinal);
        var after = netlink.Links.GetRequired("br0");
        Assert.Equal(existing.Index, after.Index);
        Assert.Equal("bridge", after.Kind);
        Assert.True(after.IsUp);
        Assert.Null(netlink.Links.Get("v1"));
    }

    [Fact]
    public void Delete_removes_a_link_and_with_a_veth_its_peer_too()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        netlink.Links.CreateBridge("br0");

        netlink.Links.Delete(v0.Index);
        netlink.Links.Delete("br0");

        Assert.Equal(["lo"], netlink.Links.List().Select(l => l.Name));
    }

    [Fact]
    public void Deleting_a_link_that_does_not_exist_fails_with_ENODEV()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var byIndex = Assert.Throws<NetlinkException>(() => netlink.Links.Delete(4242));
        var byName = Assert.Throws<NetlinkException>(() => netlink.Links.Delete("missing0"));

        Assert.Equal(Errno.ENODEV, byIndex.Errno);
        Assert.Contains("index 4242", byIndex.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.ENODEV, byName.Errno);
        Assert.Contains("missing0", byName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveToNamespace_takes_the_link_out_of_this_namespace_and_it_keeps_its_name_there()
    {
        using var namespaces = new NamespaceSet("lnk");
        var a = namespaces.Create("a");
        var b = namespaces.Create("b");
        using var inA = RtNetlinkClient.Open(a);
        using var inB = RtNetlinkClient.Open(b);
        inA.Links.CreateVeth(new VethSpec("v0", "v1"));
        var v1 = inA.Links.GetRequired("v1");

        inA.Links.MoveToNamespace(v1.Index, b);

        Assert.Null(inA.Links.Get("v1"));
        var moved = inB.Links.GetRequired("v1");
        Assert.Equal("veth", moved.Kind);
        Assert.NotNull(moved.PeerNamespaceId); // its peer now lives in another namespace
        Assert.Null(inB.Links.Get("v0"));
        Assert.NotNull(inA.Links.GetRequired("v0").PeerNamespaceId);
    }

    [Fact]
    public void A_bridge_is_created_up_and_SetMaster_enslaves_and_frees_a_port()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var bridge = netlink.Links.CreateBridge("br0", mtu: 1450);
        var port = netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Mtu = 1450 });
        netlink.Links.SetMaster(port.Index, bridge.Index);
        var enslaved = netlink.Links.Get(port.Index)!;
        netlink.Links.SetMaster(port.Index, 0);
        var freed = netlink.Links.Get(port.Index)!;

        Assert.Equal("bridge", bridge.Kind);
        Assert.True(bridge.IsUp);
        Assert.Equal(1450, bridge.Mtu);
        Assert.Equal(bridge.Index, enslaved.MasterIndex);
        Assert.Equal(0, freed.MasterIndex);
    }

    [Fact]
    public void A_bridge_created_down_stays_down()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var bridge = netlink.Links.CreateBridge("br0", up: false);

        Assert.False(bridge.IsUp);
        Assert.False(netlink.Links.GetRequired("br0").IsUp);
    }

    [Fact]
    public void SetMaster_to_a_link_that_is_not_a_bridge_fails_and_leaves_the_port_free()
    {
        using var namespaces = new NamespaceSet("lnk");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        var lo = netlink.Links.GetRequired("lo");

        var error = Assert.Throws<NetlinkException>(() => netlink.Links.SetMaster(v0.Index, lo.Index));

        Assert.NotEqual(0, error.Errno);
        Assert.Contains($"master {lo.Index}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, netlink.Links.Get(v0.Index)!.MasterIndex);
    }
}
