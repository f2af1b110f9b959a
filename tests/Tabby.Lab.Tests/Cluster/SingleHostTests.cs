using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>One host with its agent, workloads made by the real CNI plugin: the host side is right end to end.</summary>
public sealed class SingleHostTests
{
    [Theory]
    [InlineData(ClusterDatastore.Sqlite)]
    [InlineData(ClusterDatastore.Etcd)]
    public async Task Workloads_made_by_the_plugin_reach_each_other_and_their_host(ClusterDatastore datastore)
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 1, WorkloadsPerHost = 2, Datastore = datastore, Purpose = "one" });
        var (a, b) = (lab.Workloads[0], lab.Workloads[1]);

        var toNeighbour = Ping.Once(a.Namespace, b.Address);
        Assert.True(toNeighbour.Success, toNeighbour.Output);
        Assert.Equal(63, toNeighbour.Ttl);
        var toHost = Ping.Once(b.Namespace, lab.Hosts[0].Address);
        Assert.True(toHost.Success, toHost.Output);
        Assert.Equal(64, toHost.Ttl);
    }

    [Fact]
    public async Task Deleting_a_workload_removes_its_route_its_endpoint_and_its_address()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 1, WorkloadsPerHost = 1, Purpose = "del" });
        var workload = lab.Workloads[0];
        var host = lab.Hosts[0];
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        var address = IpPrefix.Host(workload.Address);
        Assert.Contains(netlink.Routes.List(RouteFilter.Tabby), r => r.Destination == address);

        await lab.RemoveWorkloadAsync(workload);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (netlink.Routes.List(RouteFilter.Tabby).Any(r => r.Destination == address))
        {
            Assert.True(DateTime.UtcNow < deadline, "the workload's route is still there 5 s after DEL");
            // The poll interval of a condition wait.
            await Task.Delay(10);
        }

        await using var store = lab.OpenDatastore();
        Assert.Empty((await new ResourceClient(store).ListAsync<WorkloadEndpoint>()).Items);
        Assert.Null(await new IpamClient(store).GetAllocationAsync(workload.Address.ToString()));
    }
}
