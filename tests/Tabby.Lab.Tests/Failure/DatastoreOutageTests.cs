using System.Diagnostics;
using System.Text.Json.Nodes;
using Tabby.Core.Naming;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Lab.Tests.Cluster;
using Tabby.Linux.Netlink;

namespace Tabby.Lab.Tests.Failure;

/// <summary>etcd gone for 30 seconds: forwarding does not notice, new workloads fail cleanly, and everything converges after.</summary>
public sealed class DatastoreOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Forwarding_survives_a_30_second_etcd_outage_and_workloads_added_during_it_fail_cleanly()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Datastore = ClusterDatastore.Etcd, Purpose = "outage" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var (host0, host1) = (lab.Host("host0"), lab.Host("host1"));
        var (from, to) = (lab.Workloads.Single(w => w.Host == host0), lab.Workloads.Single(w => w.Host == host1));
        var routesBefore = lab.Hosts.ToDictionary(h => h.Name, h => Describe(h));
        var etcd = lab.Etcd!;

        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, TimeSpan.FromMilliseconds(20));
        var outage = Stopwatch.StartNew();
        await etcd.KillAsync();

        // The agents notice (their watches broke) and say so.
        await LabAssert.WaitAsync(async () => (await Task.WhenAll(lab.Hosts.Select(h => h.Agent.StatusAsync()))).All(s => s.SyncState != "InSync" && !s.Ready),
            TimeSpan.FromSeconds(15), "the agents to report the datastore lost", lab);

        // A workload added now fails at the plugin with "try again later" and leaves nothing behind.
        var ns = lab.Namespaces.Create("outage-w");
        var containerId = lab.Namespaces.Prefix + "outage-w";
        var config = CniPlugin.NetworkConfig(lab.Spec.Network, lab.Datastore, host0.Name);
        var workloadLinks = WorkloadLinks(host0);
        var add = await lab.Cni.RunAsync("ADD", host0.Namespace, containerId, ns.Path, config);
        Assert.False(add.Succeeded, "CNI ADD succeeded with the datastore down");
        var error = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(11, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["msg"]?.GetValue<string>()), "the error has no msg");
        Assert.True(add.Elapsed < TimeSpan.FromSeconds(15), $"the failing ADD took {add.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(workloadLinks, WorkloadLinks(host0));
        using (var inside = RtNetlinkClient.Open(ns))
            Assert.Equal(["lo"], inside.Links.List().Select(l => l.Name).ToArray());

        // The rest of the outage, with the agents retrying.
        while (outage.Elapsed < Outage)
        {
            Assert.False(lab.Hosts.Any(h => h.Agent.HasExited), "an agent exited during the outage");
            // The poll interval while the outage lasts.
            await Task.Delay(500);
        }

        await etcd.RestartAsync();
        await LabAssert.WaitAsync(async () => (await Task.WhenAll(lab.Hosts.Select(h => h.Agent.StatusAsync()))).All(s => s.SyncState == "InSync" && s.Ready),
            TimeSpan.FromSeconds(30), "the agents back in sync", lab);
        var (sent, lost) = await ping.StopAsync();
        Assert.True(sent > 500, $"only {sent} pings were sent");
        Assert.Equal(0, lost);
        Assert.Equal(routesBefore, lab.Hosts.ToDictionary(h => h.Name, h => Describe(h)));

        // The runtime's clean-up of the failed ADD succeeds, and workloads come up again, reachable from the other host.
        var del = await lab.Cni.RunAsync("DEL", host0.Namespace, containerId, ns.Path, config);
        Assert.True(del.Succeeded, del.Error);
        var after = await lab.AddWorkloadAsync(host0, "after-w");
        await lab.WaitProgrammedAsync(after, TimeSpan.FromSeconds(30));
        await LabAssert.WaitAsync(() => Task.FromResult(IcmpProbe.Once(to.Namespace, after.Address, TimeSpan.FromSeconds(1))),
            TimeSpan.FromSeconds(15), $"{to.Name} to reach {after.Name}", lab);
    }

    private static string[] WorkloadLinks(ClusterHost host) =>
        [.. host.Underlay.Netlink.Links.List().Select(l => l.Name).Where(n => n.StartsWith(InterfaceNames.WorkloadPrefix, StringComparison.Ordinal)).Order()];

    private static string Describe(ClusterHost host) => string.Join(", ", LabAssert.Learned(host).Select(r => r.ToString()).Order());
}
