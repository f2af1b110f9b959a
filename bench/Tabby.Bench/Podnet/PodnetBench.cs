using System.Diagnostics;
using System.Text.Json.Nodes;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Processes;

namespace Tabby.Bench.Podnet;

/// <summary>`./run bench podnet`: 200 workloads created one after another on a two-host lab; how long ADD takes, how long until
/// the new address answers from the other host, the agents' memory, and how few routes the blocks leave per host.</summary>
internal static class PodnetBench
{
    public static async Task<string> RunAsync(int count = 200)
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "bpod" }, line => Console.Error.WriteLine(line));
        var anchors = lab.Workloads.ToList();
        // Settle BGP between the hosts before timing anything.
        var settling = System.Diagnostics.Stopwatch.StartNew();
        while (!IcmpProbe.Once(anchors[0].Namespace, anchors[1].Address, TimeSpan.FromMilliseconds(200)))
        {
            if (settling.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"the two hosts' workloads do not reach each other after 60 s:\n{lab.Host("host0").Agent.Tail(12)}");
            await Task.Delay(20); // the poll interval of this condition wait
        }

        var add = new List<double>();
        var reachable = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var host = lab.Hosts[i % 2];
            var workload = await lab.AddWorkloadAsync(host, $"p{i}");
            var returned = Stopwatch.GetTimestamp();
            add.Add(workload.AddTime.TotalMilliseconds);
            var probe = anchors.Single(a => a.Host != host);
            while (!IcmpProbe.Once(probe.Namespace, workload.Address, TimeSpan.FromMilliseconds(20)))
            {
                if (Stopwatch.GetElapsedTime(returned) > TimeSpan.FromSeconds(10))
                    throw new TimeoutException($"{workload.Address} not reachable from {probe.Host.Name} 10 s after ADD");
            }

            reachable.Add(Stopwatch.GetElapsedTime(returned).TotalMilliseconds);
        }

        var rss = lab.Hosts.Select(h => ProcessUsage.Of(h.Agent.Pid)?.Rss ?? double.NaN).ToList();
        var routes = new List<int>();
        foreach (var host in lab.Hosts)
        {
            using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
            var table = netlink.Routes.List(RouteFilter.MainTable with { Family = System.Net.Sockets.AddressFamily.InterNetwork });
            routes.Add(table.Count);
            Console.Error.WriteLine($"{host.Name}: {table.Count} routes for {lab.Workloads.Count} workloads: {table.Count(r => r.Protocol == RouteProtocol.Tabby && r.Destination.IsHost)} local /32s, "
                + $"{table.Count(r => r.Type == RouteType.Blackhole)} own blocks, {table.Count(r => r.Protocol == RouteProtocol.Tabby && r.Gateway is not null)} learned, agent rss {ProcessUsage.Of(host.Agent.Pid)?.Rss:0.0} MB");
        }

        return new JsonObject
        {
            ["bench"] = "podnet",
            ["workloads"] = count,
            ["add_p50_ms"] = R(P(add, 50)),
            ["add_p99_ms"] = R(P(add, 99)),
            ["reachable_p50_ms"] = R(P(reachable, 50)),
            ["reachable_p99_ms"] = R(P(reachable, 99)),
            ["agent_rss_mb"] = R(rss.Max()),
            ["routes_per_host"] = R(routes.Average()),
        }.ToJsonString();
    }

    private static double P(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double R(double value) => Math.Round(value, 1);
}
