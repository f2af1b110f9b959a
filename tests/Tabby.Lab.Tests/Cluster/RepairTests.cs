using Tabby.Lab.Cluster;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>Routes removed behind the agents' backs come back without anyone asking.</summary>
public sealed class RepairTests
{
    [Fact]
    public async Task A_learned_route_and_a_workload_route_removed_by_hand_come_back()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "fix" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var host = lab.Host("host0");
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        var learned = Assert.Single(LabAssert.Learned(host));
        var local = netlink.Routes.List(RouteFilter.Tabby).Single(r => r.Destination.IsHost);

        netlink.Routes.Delete(learned);
        netlink.Routes.Delete(local);
        await LabAssert.WaitAsync(() => Task.FromResult(
            netlink.Routes.List(RouteFilter.Tabby).Any(r => r.Destination == learned.Destination && Equals(r.Gateway, learned.Gateway))
            && netlink.Routes.List(RouteFilter.Tabby).Any(r => r.Destination == local.Destination)), TimeSpan.FromSeconds(2), "both routes back", lab);
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(10));
    }
}
