using System.Diagnostics;
using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>Whole-lab checks: every workload reaches every other, and what hosts' routing tables hold.</summary>
internal static class LabAssert
{
    /// <summary>Waits until every pair of workloads answers a ping (routes converge over BGP); fails listing the pairs that never did.</summary>
    public static async Task AllReachAsync(LabCluster lab, TimeSpan timeout)
    {
        var pending = lab.Workloads.SelectMany(from => lab.Workloads.Where(to => to != from).Select(to => (from, to))).ToList();
        var watch = Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            var results = await Task.WhenAll(pending.Select(p => Task.Run(() => (p, Ping.Once(p.from.Namespace, p.to.Address, TimeSpan.FromSeconds(1))))));
            pending = [.. results.Where(r => !r.Item2.Success).Select(r => r.p)];
            if (pending.Count > 0 && watch.Elapsed > timeout)
            {
                Assert.Fail($"{pending.Count} pairs never reached each other within {timeout.TotalSeconds:0} s: "
                    + string.Join(", ", pending.Take(8).Select(p => $"{p.from.Name}->{p.to.Name}")) + "\n" + await AgentLogsAsync(lab));
            }
        }
    }

    /// <summary>The routes an agent learned over BGP on a host (protocol tabby, with a gateway).</summary>
    public static List<Route> Learned(ClusterHost host)
    {
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        return [.. netlink.Routes.List(RouteFilter.Tabby).Where(r => r.Gateway is not null)];
    }

    /// <summary>The block (per the agents) each other host's workloads live in.</summary>
    public static async Task<List<IpPrefix>> BlocksOfOthersAsync(LabCluster lab, ClusterHost host)
    {
        var blocks = new List<IpPrefix>();
        foreach (var other in lab.Hosts.Where(h => h != host))
            blocks.AddRange((await other.Agent.StatusAsync()).Blocks.Select(b => IpPrefix.Parse(b)));
        return blocks;
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, LabCluster lab)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{await AgentLogsAsync(lab)}");
            // The poll interval of a condition wait.
            await Task.Delay(50);
        }
    }

    /// <summary>The last lines of every agent's log, for a failure message: the lab removes the logs when it stops.</summary>
    public static Task<string> AgentLogsAsync(LabCluster lab) =>
        Task.FromResult(string.Join("\n", lab.Hosts.Select(h => $"--- {h.Name}:\n{h.Agent.Tail(8)}")));
}
