using System.Diagnostics;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Lab.Tests.Cluster;

namespace Tabby.Lab.Tests.Failure;

/// <summary>A host cut off the underlay: its sessions drop, its routes leave the others, and return with the link.</summary>
public sealed class LinkCutTests
{
    [Fact]
    public async Task A_cut_hosts_routes_leave_the_others_within_the_hold_time_and_come_back_with_the_link()
    {
        var hold = TimeSpan.FromSeconds(3);
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 3, WorkloadsPerHost = 1, BgpHoldTime = hold, Purpose = "cut" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var cut = lab.Host("host2");
        var others = lab.Hosts.Where(h => h != cut).ToList();
        var cutBlocks = (await cut.Agent.StatusAsync()).Blocks.Select(b => IpPrefix.Parse(b)).ToHashSet();
        bool Routed(ClusterHost host) => LabAssert.Learned(host).Any(r => cutBlocks.Contains(r.Destination));
        Assert.All(others, h => Assert.True(Routed(h), $"{h.Name} has no route to {cut.Name}'s block before the cut"));

        var watch = Stopwatch.StartNew();
        var cutAt = DateTime.UtcNow;
        lab.Underlay!.SetUplink(cut.Name, up: false);
        // The sessions see nothing (no RST crosses a dead link): only the hold timer ends them.
        await LabAssert.WaitAsync(() => Task.FromResult(others.All(h => !Routed(h))), hold + TimeSpan.FromSeconds(3), $"{cut.Name}'s routes to leave", lab);
        var left = watch.Elapsed;
        // With the agents' logs: when each saw its hold timer expire, against when the routes left (this failed twice
        // under the whole suite's load, at 5.5 and 6.0 s, with no log left to say where the time went).
        if (left > hold + TimeSpan.FromSeconds(2))
            Assert.Fail($"the routes left {left.TotalSeconds:0.0} s after the cut ({cutAt:HH:mm:ss.fff} UTC); the hold time is {hold.TotalSeconds} s\n{await LabAssert.AgentLogsAsync(lab)}");
        foreach (var host in others)
        {
            var peer = (await host.Agent.StatusAsync()).Peers.Single(p => p.Address == cut.Address.ToString());
            Assert.NotEqual("up", peer.State);
        }

        // The rest of the network is untouched.
        var (a, b) = (lab.Workloads.Single(w => w.Host == others[0]), lab.Workloads.Single(w => w.Host == others[1]));
        Assert.True(IcmpProbe.Once(a.Namespace, b.Address, TimeSpan.FromSeconds(1)), $"{a.Name} no longer reaches {b.Name}");

        lab.Underlay.SetUplink(cut.Name, up: true);
        // Reconnection waits out the speaker's connect-retry back-off (at most 30 s).
        await LabAssert.WaitAsync(() => Task.FromResult(others.All(Routed)), TimeSpan.FromSeconds(45), $"{cut.Name}'s routes to return", lab);
        var back = lab.Workloads.Single(w => w.Host == cut);
        await LabAssert.WaitAsync(() => Task.FromResult(IcmpProbe.Once(a.Namespace, back.Address, TimeSpan.FromSeconds(1))), TimeSpan.FromSeconds(10), $"{a.Name} to reach {back.Name} again", lab);
    }
}
