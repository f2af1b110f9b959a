using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>Many workloads coming and going on two hosts: each is reachable across hosts both ways, and nothing is left after.</summary>
public sealed class ChurnTests
{
    [Fact]
    public async Task A_hundred_workloads_added_and_removed_are_reachable_both_ways_and_leave_nothing_behind()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "churn" });
        var anchors = lab.Workloads.ToList();
        var added = new List<ClusterWorkload>();
        for (var i = 0; i < 100; i++)
            added.Add(await lab.AddWorkloadAsync(lab.Hosts[i % 2], $"c{i}"));

        // Each new workload and the anchor on the other host reach each other, both ways.
        var failures = new List<string>();
        foreach (var batch in added.Chunk(10))
        {
            var results = await Task.WhenAll(batch.Select(w => Task.Run(async () =>
            {
                var remote = anchors.Single(a => a.Host != w.Host);
                for (var attempt = 0; ; attempt++)
                {
                    var there = Ping.Once(w.Namespace, remote.Address, TimeSpan.FromSeconds(1));
                    var back = Ping.Once(remote.Namespace, w.Address, TimeSpan.FromSeconds(1));
                    if (there.Success && back.Success)
                        return null;
                    if (attempt == 10)
                        return $"{w.Name} ({w.Address}) <-> {remote.Name}: {there.Success}/{back.Success}";
                    // Routing for a new address can lag its ADD by a moment; retry the probe, bounded.
                    await Task.Delay(100);
                }
            })));
            failures.AddRange(results.OfType<string>());
        }

        Assert.Empty(failures);

        foreach (var w in added)
            await lab.RemoveWorkloadAsync(w);

        await using var store = lab.OpenDatastore();
        Assert.Equal(anchors.Count, (await new ResourceClient(store).ListAsync<WorkloadEndpoint>()).Items.Count);
        var ipam = new IpamClient(store);
        foreach (var w in added)
            Assert.Null(await ipam.GetAllocationAsync(w.Address.ToString()));
        foreach (var host in lab.Hosts)
        {
            using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
            await LabAssert.WaitAsync(() => Task.FromResult(netlink.Routes.List(RouteFilter.Tabby).Count(r => r.Destination.IsHost) == 1), TimeSpan.FromSeconds(10),
                $"{host.Name} to keep only its anchor's /32", lab);
            Assert.Equal(1, netlink.Links.List().Count(l => l.Name.StartsWith("cali", StringComparison.Ordinal)));
        }
    }
}
