using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Neighbours;
using Tabby.Node.Calc;
using Tabby.Node.Dataplane;

namespace Tabby.Integration.Tests.Node;

/// <summary>The VTEP reconciler against a real kernel: it builds what the plan says, changes only what differs, and
/// removes what the plan no longer has.</summary>
public sealed class VxlanManagerTests
{
    private static readonly IPAddress s_me = IPAddress.Parse("192.168.0.2");
    private static readonly RemoteVtep s_b = new("b", IPAddress.Parse("192.168.0.3"), IPAddress.Parse("10.20.2.0"), MacAddress.Parse("66:00:00:00:00:0b"));
    private static readonly RemoteVtep s_c = new("c", IPAddress.Parse("192.168.0.4"), IPAddress.Parse("10.20.3.0"), MacAddress.Parse("66:00:00:00:00:0c"));

    private static OverlayPlan Plan(string mac, params RemoteVtep[] remotes) => new()
    {
        VxlanWanted = true,
        Vtep = new LocalVtep(s_me, IPAddress.Parse("10.20.1.0"), MacAddress.Parse(mac)),
        Remotes = remotes,
        Routes = [.. remotes.Select(r => new OverlayRoute(IpPrefix.Masked(r.TunnelAddress, 26), r.TunnelAddress, Tunnel: true))],
    };

    [Fact]
    public void It_builds_the_VTEP_then_changes_only_what_differs_and_removes_it_all_when_VXLAN_goes()
    {
        using var namespaces = new NamespaceSet("vxm");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("h"));
        var uplink = netlink.Links.CreateVeth(new VethSpec("eth0", "eth0-peer") { Mtu = 1500 });
        netlink.Addresses.Add(new InterfaceAddress(uplink.Index, s_me, 24));
        var manager = new VxlanManager(netlink);

        var (routes, changes) = manager.Apply(Plan("66:00:00:00:00:0a", s_b, s_c), netlink.Links.List());
        Assert.NotEmpty(changes);
        var vtep = netlink.Links.GetRequired("vxlan.calico");
        Assert.Equal(1450, vtep.Mtu);
        Assert.Equal(new VxlanInfo(4096, 4789, s_me, uplink.Index, Learning: false), vtep.Vxlan);
        Assert.Contains(netlink.Addresses.List(vtep.Index), a => a.Address.Equals(IPAddress.Parse("10.20.1.0")) && a.PrefixLength == 32);
        Assert.Equal(2, netlink.Links.ListFdb(vtep.Index).Count(e => e.Destination is not null));
        Assert.Equal(2, netlink.Neighbours.List(vtep.Index).Count(n => !n.IsIPv6));
        Assert.All(routes, r => Assert.True(r.OnLink && r.InterfaceIndex == vtep.Index));
        netlink.Routes.Replace(routes[0]);

        // The same plan again: nothing to do.
        Assert.Empty(manager.Apply(Plan("66:00:00:00:00:0a", s_b, s_c), netlink.Links.List()).Changes);

        // c leaves: its FDB and neighbour entries go; b's stay.
        changes = manager.Apply(Plan("66:00:00:00:00:0a", s_b), netlink.Links.List()).Changes;
        Assert.Equal(2, changes.Count);
        Assert.Equal([s_b.Underlay], netlink.Links.ListFdb(vtep.Index).Where(e => e.Destination is not null).Select(e => e.Destination!));
        Assert.Equal([s_b.TunnelAddress], netlink.Neighbours.List(vtep.Index).Where(n => !n.IsIPv6).Select(n => n.Address));

        // Someone changed the MTU behind our back: set back, the device stays.
        netlink.Links.SetMtu(vtep.Index, 1400);
        manager.Apply(Plan("66:00:00:00:00:0a", s_b), netlink.Links.List());
        Assert.Equal(vtep.Index, netlink.Links.GetRequired("vxlan.calico").Index);
        Assert.Equal(1450, netlink.Links.GetRequired("vxlan.calico").Mtu);

        // A new MAC on the Node: the device is replaced with it.
        manager.Apply(Plan("66:00:00:00:00:aa", s_b), netlink.Links.List());
        Assert.Equal(MacAddress.Parse("66:00:00:00:00:aa"), netlink.Links.GetRequired("vxlan.calico").Mac);

        // No VXLAN pool any more: the device (and with it every entry and route through it) goes.
        (routes, changes) = manager.Apply(OverlayPlan.None, netlink.Links.List());
        Assert.Empty(routes);
        Assert.Null(netlink.Links.Get("vxlan.calico"));
        Assert.Equal(0, manager.DeviceIndex);
    }
}
