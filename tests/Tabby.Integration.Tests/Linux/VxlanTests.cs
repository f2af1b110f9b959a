using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Linux;

public sealed class VxlanTests
{
    [Fact]
    public void A_VXLAN_device_carries_its_id_port_local_address_parent_and_learning_off()
    {
        using var namespaces = new NamespaceSet("vxl");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        var parent = UnderlayWithAddress(netlink, IPAddress.Parse("10.0.0.1"));

        var vxlan = netlink.Links.CreateVxlan(new VxlanSpec("vxlan.calico", 4096)
        {
            Port = 4790,
            Local = IPAddress.Parse("10.0.0.1"),
            ParentIndex = parent.Index,
            Learning = false,
            Mtu = 1410,
            Mac = MacAddress.Parse("66:00:00:00:00:01"),
        });

        Assert.Equal("vxlan", vxlan.Kind);
        Assert.True(vxlan.IsUp);
        Assert.Equal(1410, vxlan.Mtu);
        Assert.Equal(MacAddress.Parse("66:00:00:00:00:01"), vxlan.Mac);
        // The VXLAN parameters are not part of Link; iproute2 reads them back independently.
        var data = IpLinkDetails(ns, "vxlan.calico").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(4096, data.GetProperty("id").GetInt32());
        Assert.Equal(4790, data.GetProperty("port").GetInt32());
        Assert.Equal("10.0.0.1", data.GetProperty("local").GetString());
        Assert.Equal("v0", data.GetProperty("link").GetString());
        Assert.False(data.GetProperty("learning").GetBoolean());
    }

    [Fact]
    public void A_VXLAN_device_with_learning_on_reports_learning()
    {
        using var namespaces = new NamespaceSet("vxl");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);

        netlink.Links.CreateVxlan(new VxlanSpec("vx0", 7) { Learning = true });

        var data = IpLinkDetails(ns, "vx0").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(7, data.GetProperty("id").GetInt32());
        Assert.Equal(4789, data.GetProperty("port").GetInt32());
        Assert.True(data.GetProperty("learning").GetBoolean());
    }

    [Fact]
    public void A_VXLAN_id_over_24_bits_is_refused_before_reaching_the_kernel()
    {
        using var namespaces = new NamespaceSet("vxl");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => netlink.Links.CreateVxlan(new VxlanSpec("vx0", 0x1000000)));

        Assert.Contains("24 bits", error.Message, StringComparison.Ordinal);
        Assert.Null(netlink.Links.Get("vx0"));
    }

    [Fact]
    public void FDB_entries_on_a_VXLAN_device_are_added_listed_replaced_and_deleted()
    {
        using var namespaces = new NamespaceSet("vxl");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var parent = UnderlayWithAddress(netlink, IPAddress.Parse("10.0.0.1"));
        var vxlan = netlink.Links.CreateVxlan(new VxlanSpec("vx0", 42) { Local = IPAddress.Parse("10.0.0.1"), ParentIndex = parent.Index });
        var remoteMac = MacAddress.Parse("66:00:00:00:00:02");
        var entry = new FdbEntry(vxlan.Index, remoteMac, IPAddress.Parse("10.0.0.2"));

        netlink.Links.AddFdb(entry);
        var afterAdd = netlink.Links.ListFdb(vxlan.Index);
        netlink.Links.AddFdb(entry with { Destination = IPAddress.Parse("10.0.0.3") }, replace: true);
        var afterReplace = netlink.Links.ListFdb(vxlan.Index);
        netlink.Links.DeleteFdb(entry with { Destination = IPAddress.Parse("10.0.0.3") });
        var afterDelete = netlink.Links.ListFdb(vxlan.Index);

        Assert.Equal([entry], afterAdd);
        var replaced = Assert.Single(afterReplace);
        Assert.Equal(IPAddress.Parse("10.0.0.3"), replaced.Destination);
        Assert.Equal(remoteMac, replaced.Mac);
        Assert.True(replaced.Permanent);
        Assert.Empty(afterDelete);
    }

    [Fact]
    public void ListFdb_for_one_device_does_not_return_entries_of_another()
    {
        using var namespaces = new NamespaceSet("vxl");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var first = netlink.Links.CreateVxlan(new VxlanSpec("vx0", 1) { Port = 4789 });
        var second = netlink.Links.CreateVxlan(new VxlanSpec("vx1", 2) { Port = 4790 });
        var a = new FdbEntry(first.Index, MacAddress.Parse("66:00:00:00:00:0a"), IPAddress.Parse("10.0.0.10"));
        var b = new FdbEntry(second.Index, MacAddress.Parse("66:00:00:00:00:0b"), IPAddress.Parse("10.0.0.11"));

        netlink.Links.AddFdb(a);
        netlink.Links.AddFdb(b);

        Assert.Equal([a], netlink.Links.ListFdb(first.Index));
        Assert.Equal([b], netlink.Links.ListFdb(second.Index));
        Assert.Contains(a, netlink.Links.ListFdb());
        Assert.Contains(b, netlink.Links.ListFdb());
    }

    [Fact]
    public void Deleting_an_FDB_entry_that_does_not_exist_fails_with_the_entry_in_the_message()
    {
        using var namespaces = new NamespaceSet("vxl");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var vxlan = netlink.Links.CreateVxlan(new VxlanSpec("vx0", 1));
        var entry = new FdbEntry(vxlan.Index, MacAddress.Parse("66:00:00:00:00:0a"), IPAddress.Parse("10.0.0.10"));

        var error = Assert.Throws<NetlinkException>(() => netlink.Links.DeleteFdb(entry));

        Assert.NotEqual(0, error.Errno);
        Assert.Contains("66:00:00:00:00:0a", error.Message, StringComparison.Ordinal);
    }

    private static Link UnderlayWithAddress(RtNetlinkClient netlink, IPAddress address)
    {
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        netlink.Addresses.Add(new InterfaceAddress(v0.Index, address, 24));
        return v0;
    }

    /// <summary>`ip -d -j link show`, run inside the namespace, as an independent reading of what the kernel holds.</summary>
    private static JsonElement IpLinkDetails(NetworkNamespace ns, string name)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", ns.Name!, "-d", "-j", "link", "show", "dev", name })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement[0].Clone();
    }
}
