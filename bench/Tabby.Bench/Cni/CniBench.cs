using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Processes;

namespace Tabby.Bench.Cni;

/// <summary>`./run bench cni`: 200 workloads added one after another through the plugin on one lab host with its agent
/// running, then deleted; ADD and DEL latency, time until the agent has the host route, plugin and agent memory.
/// The plugin runs under GNU time for its peak RSS, which adds that tool's start to ADD and DEL times (about a millisecond).</summary>
internal static class CniBench
{
    public static async Task<string> RunAsync(int count = 200)
    {
        await using var cluster = await LabCluster.StartAsync(new ClusterSpec { Hosts = 1, WorkloadsPerHost = 0, Purpose = "bcni", Pool = "10.20.0.0/16", BlockSize = 24 },
            line => Console.Error.WriteLine(line));
        var host = cluster.Hosts[0];
        cluster.Cni.MeasureMemory = true;
        var pluginPeak = 0.0;
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        var add = new List<double>();
        var programmed = new List<double>();
        var workloads = new List<ClusterWorkload>();
        for (var i = 0; i < count; i++)
        {
            var workload = await cluster.AddWorkloadAsync(host, $"b{i}");
            var returned = Stopwatch.GetTimestamp();
            add.Add(workload.AddTime.TotalMilliseconds);
            workloads.Add(workload);
            pluginPeak = Math.Max(pluginPeak, workload.AddPeakRssMb ?? 0);
            // Programmed: the agent's /32 route to the new address is in the host's FIB.
            var destination = IpPrefix.Host(workload.Address);
            while (!netlink.Routes.List(RouteFilter.Tabby).Any(r => r.Destination == destination))
            {
                if (Stopwatch.GetElapsedTime(returned) > TimeSpan.FromSeconds(10))
                    throw new TimeoutException($"{workload.Address} not programmed after 10 s: {host.Agent.Tail(10)}");
                await Task.Delay(1);
            }

            programmed.Add(Stopwatch.GetElapsedTime(returned).TotalMilliseconds);
        }

        var agent = ProcessUsage.Of(host.Agent.Pid);
        var del = new List<double>();
        foreach (var workload in workloads)
        {
            var outcome = await cluster.RemoveWorkloadAsync(workload);
            del.Add(outcome.Elapsed.TotalMilliseconds);
            pluginPeak = Math.Max(pluginPeak, outcome.PeakRssMb ?? 0);
        }

        var plugin = pluginPeak;

        Console.Error.WriteLine($"add p50 {P(add, 50):0.0} ms, p99 {P(add, 99):0.0}; programmed p50 {P(programmed, 50):0.0}, p99 {P(programmed, 99):0.0}; del p50 {P(del, 50):0.0}, p99 {P(del, 99):0.0}; agent rss {agent?.Rss:0.0} MB (peak {agent?.Peak:0.0})");
        return new JsonObject
        {
            ["bench"] = "cni",
            ["workloads"] = count,
            ["add_p50_ms"] = Round(P(add, 50)),
            ["add_p99_ms"] = Round(P(add, 99)),
            ["del_p99_ms"] = Round(P(del, 99)),
            ["programmed_p99_ms"] = Round(P(programmed, 99)),
            ["plugin_rss_mb"] = Round(plugin),
            ["agent_rss_mb"] = Round(agent?.Rss ?? double.NaN),
        }.ToJsonString();
    }

    private static double P(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double Round(double value) => Math.Round(value, 1);
}
