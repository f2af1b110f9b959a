using System.Net;
using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Lab.Tests.Cluster;
using Tabby.Linux.Netlink;
using Xunit.Abstractions;
using static Tabby.Lab.Tests.Overlay.OverlayLab;

namespace Tabby.Lab.Tests.Overlay;

/// <summary>VXLAN end to end: real agents build VTEPs, FDB and neighbour entries and onlink routes, and workloads reach
/// each other where the underlay carries nothing but the hosts' own addresses.</summary>
public sealed class VxlanLabTests(ITestOutputHelper output)
{
    [Fact]
    public async Task In_an_Always_pool_workloads_on_two_hosts_reach_each_other_through_the_VTEPs_only()
    {
        // disableBGPExport: no BGP route to any block exists, so a reply can only come through the tunnel.
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, VxlanMode = "Always", PoolDisableBgpExport = true, Purpose = "vxa" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));

        var (host0, host1) = (lab.Host("host0"), lab.Host("host1"));
        var node1 = await NodeAsync(lab, "host1");
        var tunnel1 = IPAddress.Parse(node1.Spec.Ipv4VxlanTunnelAddr!);
        Assert.True(IpPrefix.Parse(lab.Spec.Pool).Contains(tunnel1));
        Assert.NotNull(node1.Spec.VxlanTunnelMacAddr);
        await using (var store = lab.OpenDatastore())
            Assert.Equal([IpPrefix.Host(tunnel1)], await new IpamClient(store).IpsByHandleAsync("vxlan-tunnel-addr-host1"));

        var block1 = Assert.Single(await LabAssert.BlocksOfOthersAsync(lab, host0));
        Assert.True(ThroughTunnel(host0, block1, tunnel1), $"host0's route to {block1}: {RouteTo(host0, block1)}");
        var vtep0 = Vtep(host0)!;
        Assert.Equal(4096u, vtep0.Vxlan!.Vni);
        Assert.Equal(4789, vtep0.Vxlan.Port);
        Assert.False(vtep0.Vxlan.Learning);
        Assert.Equal(host0.Address, vtep0.Vxlan.Local);
        using (var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace))
        {
            Assert.Equal(netlink.Links.Get(vtep0.Vxlan.ParentIndex)!.Mtu - 50, vtep0.Mtu);
            Assert.Contains(netlink.Links.ListFdb(vtep0.Index), e => e.Destination is { } d && d.Equals(host1.Address) && e.Mac.ToString() == node1.Spec.VxlanTunnelMacAddr);
            Assert.Contains(netlink.Neighbours.List(vtep0.Index), n => n.Address.Equals(tunnel1) && n.Mac?.ToString() == node1.Spec.VxlanTunnelMacAddr);
        }

        var status = await host0.Agent.StatusAsync();
        Assert.True(status.Ready);
        Assert.Contains("vxlan.calico", status.Vxlan, StringComparison.Ordinal);
        Assert.Contains(status.Routes, r => r.Kind == "vxlan" && r.Destination == block1.ToString());

        // A workload made once the VTEP exists gets its MTU (the agent's MTU file, as Felix's for Calico's plugin),
        // so a full-size packet with Don't Fragment set still fits the tunnel; at the old 1500 it would not.
        await LabAssert.WaitAsync(() => Task.FromResult(File.Exists(host0.Agent.MtuFile)), TimeSpan.FromSeconds(10), "host0's MTU file", lab);
        var mtu = int.Parse(File.ReadAllText(host0.Agent.MtuFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(vtep0.Mtu, mtu);
        var late = await lab.AddWorkloadAsync(host0, "late");
        using (var netlink = RtNetlinkClient.Open(late.Namespace))
            Assert.Equal(mtu, netlink.Links.Get("eth0")!.Mtu);
        var far = lab.Workloads.Single(w => w.Host == host1);
        var full = Ping.Once(late.Namespace, far.Address, TimeSpan.FromSeconds(3), payload: mtu - 28);
        Assert.True(full.Success, full.Output);
        Assert.False(Ping.Once(late.Namespace, far.Address, TimeSpan.FromSeconds(1), payload: mtu - 27).Success); // one byte more does not fit eth0
    }

    [Fact]
    public async Task CrossSubnet_encapsulates_between_racks_and_routes_directly_inside_one()
    {
        // Two racks (10.0.0.0/24, 10.0.1.0/24) behind top-of-rack routers that never learn a workload route.
        await using var lab = await LabCluster.StartAsync(new ClusterSpec
        {
            Hosts = 4, WorkloadsPerHost = 1, Topology = ClusterTopology.Tor, Design = TorDesign.AsPerRack, Router = TorRouter.Frr, Racks = 2,
            VxlanMode = "CrossSubnet", PoolDisableBgpExport = true, Purpose = "vxc",
        });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(60));

        var host0 = lab.Host("host0");
        foreach (var other in lab.Hosts.Where(h => h != host0))
        {
            var block = IpPrefix.Parse(Assert.Single((await other.Agent.StatusAsync()).Blocks));
            var sameRack = IpPrefix.Masked(host0.Address, 24).Contains(other.Address);
            var node = await NodeAsync(lab, other.Name);
            var route = RouteTo(host0, block);
            if (sameRack)
                Assert.True(Direct(host0, block, other.Address), $"{other.Name} shares host0's subnet, yet: {route}");
            else
                Assert.True(ThroughTunnel(host0, block, IPAddress.Parse(node.Spec.Ipv4VxlanTunnelAddr!)), $"{other.Name} is in another subnet, yet: {route}");
            output.WriteLine($"host0 -> {other.Name} ({other.Address}): {route}");
        }
    }

    [Fact]
    public async Task Switching_a_pool_to_VXLAN_and_back_under_a_ping_converges_and_keeps_the_workloads_reachable()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "vxs" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var (host0, host1) = (lab.Host("host0"), lab.Host("host1"));
        var (from, to) = (lab.Workloads.Single(w => w.Host == host0), lab.Workloads.Single(w => w.Host == host1));
        var block1 = Assert.Single(await LabAssert.BlocksOfOthersAsync(lab, host0));
        var block0 = Assert.Single(await LabAssert.BlocksOfOthersAsync(lab, host1));
        Assert.True(Direct(host0, block1, host1.Address));

        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, TimeSpan.FromMilliseconds(20));
        await SetPoolModeAsync(lab, vxlanMode: "Always");
        await LabAssert.WaitAsync(() => Task.FromResult(ThroughTunnel(host0, block1) && ThroughTunnel(host1, block0)), TimeSpan.FromSeconds(30), "both hosts routing through their VTEPs", lab);
        await WaitPingsAsync(ping, 25, lab);
        var (sentOn, lostOn) = (ping.Sent, ping.Lost);

        await SetPoolModeAsync(lab, vxlanMode: "Never");
        await LabAssert.WaitAsync(() => Task.FromResult(Vtep(host0) is null && Vtep(host1) is null && Direct(host0, block1, host1.Address) && Direct(host1, block0, host0.Address)),
            TimeSpan.FromSeconds(30), "both VTEPs gone and BGP's routes back", lab);
        await WaitPingsAsync(ping, 25, lab);
        var (sent, lost) = await ping.StopAsync();

        var node0 = await NodeAsync(lab, "host0");
        Assert.Null(node0.Spec.Ipv4VxlanTunnelAddr);
        output.WriteLine($"switch to VXLAN: {lostOn} of {sentOn} pings lost; and back: {lost - lostOn} of {sent - sentOn}");
        Assert.True(Ping.Once(from.Namespace, to.Address, TimeSpan.FromSeconds(2)).Success);
        // Some loss switching to VXLAN is allowed (a peer can send through a tunnel a moment before the other end has
        // its device); switching back loses nothing, since the VTEP lingers while the routes move back to BGP.
        Assert.True(lostOn <= 10, $"{lostOn} of {sentOn} pings lost switching to VXLAN");
        Assert.Equal(0, lost - lostOn);
    }

    /// <summary>Waits until the ping has sent this many more echoes (a condition wait, with a deadline).</summary>
    private static Task WaitPingsAsync(ContinuousPing ping, int more, LabCluster lab)
    {
        var target = ping.Sent + more;
        return LabAssert.WaitAsync(() => Task.FromResult(ping.Sent >= target), TimeSpan.FromSeconds(30), $"{more} more pings", lab);
    }
}
