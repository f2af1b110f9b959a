using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Neighbours;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Linux;

/// <summary>What an overlay agent does to a kernel, done with Tabby's rtnetlink alone and checked against the kernel itself.</summary>
public sealed class VxlanOverlayTests
{
    private static readonly MacAddress s_macA = MacAddress.Parse("66:00:00:00:00:0a");
    private static readonly MacAddress s_macB = MacAddress.Parse("66:00:00:00:00:0b");

    [Fact]
    public void A_VTEP_reads_back_with_the_settings_it_was_created_with()
    {
        using var namespaces = new NamespaceSet("vxo");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var parent = Underlay(netlink, "v0", "v1", IPAddress.Parse("10.0.0.1"));

        netlink.Links.CreateVxlan(new VxlanSpec("vxlan.calico", 4096) { Local = IPAddress.Parse("10.0.0.1"), ParentIndex = parent.Index, Mac = s_macA });

        var listed = netlink.Links.List().Single(l => l.Name == "vxlan.calico");
        Assert.Equal(new VxlanInfo(4096, 4789, IPAddress.Parse("10.0.0.1"), parent.Index, Learning: false), listed.Vxlan);
        Assert.Equal(s_macA, listed.Mac);
        Assert.Null(netlink.Links.GetRequired("v0").Vxlan);
    }

    [Fact]
    public void A_permanent_neighbour_and_an_onlink_route_through_the_VTEP_are_held_as_sent()
    {
        using var namespaces = new NamespaceSet("vxo");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var parent = Underlay(netlink, "v0", "v1", IPAddress.Parse("10.0.0.1"));
        var vtep = netlink.Links.CreateVxlan(new VxlanSpec("vxlan.calico", 4096) { Local = IPAddress.Parse("10.0.0.1"), ParentIndex = parent.Index });
        var neighbour = new Neighbour(vtep.Index, IPAddress.Parse("10.20.2.1"), s_macB);
        var route = new Route(IpPrefix.Parse("10.20.2.0/26")) { Gateway = IPAddress.Parse("10.20.2.1"), InterfaceIndex = vtep.Index, OnLink = true };

        netlink.Neighbours.Replace(neighbour);
        netlink.Routes.Replace(route);

        Assert.Contains(neighbour, netlink.Neighbours.List(vtep.Index));
        var held = Assert.Single(netlink.Routes.List(RouteFilter.Tabby));
        Assert.Equal(route, held);
        // Without onlink the kernel refuses a gateway no address on the device covers: the reason the flag exists.
        var refused = Assert.Throws<NetlinkException>(() => netlink.Routes.Replace(route with { Destination = IpPrefix.Parse("10.20.3.0/26"), OnLink = false }));
        Assert.NotEqual(0, refused.Errno);
    }

    [Fact]
    public void Two_hosts_reach_each_others_tunnel_addresses_through_VXLAN_and_nothing_else()
    {
        using var namespaces = new NamespaceSet("vxo");
        var a = namespaces.Create("a");
        var b = namespaces.Create("b");
        using var inA = RtNetlinkClient.Open(a);
        using var inB = RtNetlinkClient.Open(b);
        // The underlay: one veth, a in 10.0.0.0/24 at .1, b at .2. The tunnel addresses are in no underlay subnet.
        var hostA = IPAddress.Parse("10.0.0.1");
        var hostB = IPAddress.Parse("10.0.0.2");
        var uplinkA = inA.Links.CreateVeth(new VethSpec("eth0", "eth0-b") { PeerNamespace = b });
        inA.Addresses.Add(new InterfaceAddress(uplinkA.Index, hostA, 24));
        var uplinkB = inB.Links.GetRequired("eth0-b");
        inB.Links.SetUp(uplinkB.Index, true);
        inB.Addresses.Add(new InterfaceAddress(uplinkB.Index, hostB, 24));
        var tunnelA = IPAddress.Parse("10.20.1.1");
        var tunnelB = IPAddress.Parse("10.20.2.1");

        Vtep(inA, uplinkA.Index, hostA, s_macA, tunnelA, remoteHost: hostB, remoteMac: s_macB, remoteTunnel: tunnelB, remoteBlock: "10.20.2.0/26");
        Vtep(inB, uplinkB.Index, hostB, s_macB, tunnelB, remoteHost: hostA, remoteMac: s_macA, remoteTunnel: tunnelA, remoteBlock: "10.20.1.0/26");

        var reply = Ping.Once(b, tunnelA, TimeSpan.FromSeconds(2));
        Assert.True(reply.Success, reply.Output);
        Assert.Equal(64, reply.Ttl); // one hop as the overlay sees it: the tunnel hides the underlay
        Assert.Equal([new FdbEntry(inB.Links.GetRequired("vxlan.calico").Index, s_macA, hostA)], inB.Links.ListFdb(inB.Links.GetRequired("vxlan.calico").Index));
        // Take the FDB entry away and the same ping has nowhere to go: it really went through the tunnel.
        inB.Links.DeleteFdb(new FdbEntry(inB.Links.GetRequired("vxlan.calico").Index, s_macA, hostA));
        Assert.False(Ping.Once(b, tunnelA, TimeSpan.FromSeconds(1)).Success);
    }

    private static void Vtep(RtNetlinkClient netlink, int parent, IPAddress local, MacAddress mac, IPAddress tunnel,
        IPAddress remoteHost, MacAddress remoteMac, IPAddress remoteTunnel, string remoteBlock)
    {
        var vtep = netlink.Links.CreateVxlan(new VxlanSpec("vxlan.calico", 4096) { Local = local, ParentIndex = parent, Mac = mac, Mtu = 1450 });
        netlink.Addresses.Add(new InterfaceAddress(vtep.Index, tunnel, 32));
        netlink.Links.AddFdb(new FdbEntry(vtep.Index, remoteMac, remoteHost), replace: true);
        netlink.Neighbours.Replace(new Neighbour(vtep.Index, remoteTunnel, remoteMac));
        netlink.Routes.Replace(new Route(IpPrefix.Parse(remoteBlock)) { Gateway = remoteTunnel, InterfaceIndex = vtep.Index, OnLink = true });
    }

    private static Link Underlay(RtNetlinkClient netlink, string name, string peer, IPAddress address)
    {
        var link = netlink.Links.CreateVeth(new VethSpec(name, peer));
        netlink.Addresses.Add(new InterfaceAddress(link.Index, address, 24));
        return link;
    }
}
