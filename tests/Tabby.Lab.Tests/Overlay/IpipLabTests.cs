using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Tests.Cluster;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using static Tabby.Lab.Tests.Overlay.OverlayLab;

namespace Tabby.Lab.Tests.Overlay;

/// <summary>A pool asking for IPIP: on a kernel without the ipip driver (this rig's) tunl0 cannot be made; either way the
/// agent has no IPIP dataplane, says so, and programs nothing of the pool.</summary>
public sealed class IpipLabTests
{
    [Fact]
    public async Task An_IPIP_pool_makes_the_agent_not_ready_with_the_reason_and_nothing_of_it_is_programmed()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "ipip" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var host0 = lab.Host("host0");
        var block1 = Assert.Single(await LabAssert.BlocksOfOthersAsync(lab, host0));

        await SetPoolModeAsync(lab, ipipMode: "Always");
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()) is { Ready: false, OverlayProblem: { } p } && p.Contains("IPIP", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "host0 not ready because of IPIP", lab);
        var status = await host0.Agent.StatusAsync();
        Assert.Contains("lab-pool", status.OverlayProblem, StringComparison.Ordinal);
        if (!LinkDrivers.IsAvailable("ipip"))
            Assert.Contains("no driver for link kind 'ipip'", status.OverlayProblem, StringComparison.Ordinal);
        // Not half-programmed: no tunnel device, and no route to the other host's block (BGP's is withdrawn from the FIB).
        await LabAssert.WaitAsync(() => Task.FromResult(RouteTo(host0, block1) is null), TimeSpan.FromSeconds(30), "the route to host1's block gone", lab);
        if (!LinkDrivers.IsAvailable("ipip"))
        {
            using var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace);
            Assert.Null(netlink.Links.Get("tunl0"));
        }

        Assert.Contains("IPIP requested by pool lab-pool", host0.Agent.Tail(50), StringComparison.Ordinal);

        // Back to no encapsulation: ready again and reachable.
        await SetPoolModeAsync(lab, ipipMode: "Never");
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).Ready, TimeSpan.FromSeconds(30), "host0 ready again", lab);
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
    }
}
