using System.Diagnostics;
using System.Text.Json.Nodes;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Processes;

namespace Tabby.Bench.Scale;

/// <summary>`./run bench scale [--datastore sqlite|etcd]`: a route-reflector lab of 30 hosts (two reflectors) with 10 workloads
/// each, on one datastore. How long from the start of the lab until a sampled matrix of workload pairs all reach each other,
/// the agents' memory once it has, and how long a new workload takes from its CNI ADD to answering a workload on every
/// other host.</summary>
/// <remarks>
/// The kernel's neighbour table is shared by every namespace on the machine (gc_thresh3 = 1024), so the matrix is
/// sampled: one workload on each host pings one workload on each of three other hosts (the next one, and a third and
/// two thirds of the way round), which exercises every host's routes in and out while keeping the entries to a few
/// hundred; the count is printed.
/// </remarks>
internal static class ScaleBench
{
    private static readonly TimeSpan s_reachTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_newWorkloadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long one echo to the new workload waits: the resolution of the reachability time (a probe sent just
    /// before the route landed is lost and the next one goes at once).</summary>
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromMilliseconds(25);

    public static async Task<string> RunAsync(ClusterDatastore datastore, CancellationToken cancellationToken, int hosts = 30, int workloadsPerHost = 10, int trials = 5)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}");
        Log($"scale: {hosts} hosts x {workloadsPerHost} workloads, reflector topology, datastore {datastore}");
        var neighboursBefore = NeighbourEntries();
        var added = 0;
        var spec = new ClusterSpec
        {
            Hosts = hosts,
            WorkloadsPerHost = workloadsPerHost,
            Topology = ClusterTopology.Reflector,
            Datastore = datastore,
            Purpose = "bscale",
            // Thirty agents starting at once on two shared cores take a while to be ready.
            ReadyTimeout = TimeSpan.FromMinutes(4),
            // Every host's workloads at once, as the kubelets of a real cluster start their pods; serially, the lab's
            // 300 CNI ADDs one after another would be most of the convergence time and measure nothing of the network.
            AddWorkloadsConcurrently = true,
        };
        await using var lab = await LabCluster.StartAsync(spec, line =>
        {
            // Every workload's line would be 300; one in fifty shows the pace.
            if (!line.StartsWith("workload ", StringComparison.Ordinal) || Interlocked.Increment(ref added) % 50 == 0)
                Log(line);
        }, cancellationToken);
        var labUp = clock.Elapsed;
        Log($"lab up after {labUp.TotalSeconds:0.0} s; CNI ADD p50 {P(lab.Workloads.Select(w => w.AddTime.TotalMilliseconds), 50):0} ms, "
            + $"p99 {P(lab.Workloads.Select(w => w.AddTime.TotalMilliseconds), 99):0} ms, sum {lab.Workloads.Sum(w => w.AddTime.TotalSeconds):0.0} s");

        var pairs = SampledMatrix(lab);
        var lastPair = await WaitReachableAsync(pairs, Log, cancellationToken);
        var converge = clock.Elapsed;
        Log($"{pairs.Count} sampled pairs reach each other after {converge.TotalSeconds:0.0} s (the last: {lastPair}); "
            + $"neighbour entries machine-wide {NeighbourEntries()} (before the lab {neighboursBefore})");

        if (lab.Hosts.FirstOrDefault(h => h.Agent.HasExited) is { } dead)
            throw new InvalidOperationException($"the agent of {dead.Name} exited: {dead.Agent.Tail(20)}");
        var usage = lab.Hosts.Select(h => (Host: h, Usage: ProcessUsage.Of(h.Agent.Pid), Memory: ProcessFootprint.Of(h.Agent.Pid), Cpu: ProcessFootprint.CpuSeconds(h.Agent.Pid))).ToList();
        var rss = usage.Select(u => u.Usage?.Rss ?? double.NaN).ToList();
        foreach (var u in usage.Where(u => u.Host.Name is "host0" or "host1" or "host2").Append(usage.MaxBy(u => u.Usage?.Rss ?? 0)))
        {
            Log($"{u.Host.Name} agent: rss {u.Usage?.Rss:0.0} MB (peak {u.Usage?.Peak:0.0}), {u.Memory}, cpu {u.Cpu:0.0} s");
        }

        Log($"agents: rss p50 {P(rss, 50):0.0} MB, max {rss.Max():0.0} MB, sum {rss.Sum():0} MB; cpu used since start: sum {usage.Sum(u => u.Cpu):0.0} s, "
            + $"p50 {P(usage.Select(u => u.Cpu), 50):0.0} s; anonymous p50 {P(usage.Select(u => u.Memory.AnonymousMb), 50):0.0} MB, file-backed p50 {P(usage.Select(u => u.Memory.FileMb), 50):0.0} MB");
        if (lab.Etcd?.Pid is { } etcd)
            Log($"etcd: rss {ProcessUsage.Of(etcd)?.Rss:0.0} MB, cpu {ProcessFootprint.CpuSeconds(etcd):0.0} s");

        // A new workload on the last host (a reflector client), pinged from one workload on every other host.
        var target = lab.Hosts[^1];
        var sources = lab.Hosts.Where(h => h != target).Select(h => lab.Workloads.First(w => w.Host == h)).ToList();
        var reachable = new List<double>();
        for (var i = 0; i < trials; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var workload = await lab.AddWorkloadAsync(target, $"{target.Name}-new{i}", cancellationToken: cancellationToken);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            giveUp.CancelAfter(s_newWorkloadTimeout);
            // One probing loop per source host on a thread of its own: 29 blocking probes must not wait for pool threads.
            var probes = sources.Select(s => Task.Factory.StartNew(() => FirstReply(s, workload, giveUp.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
            var firsts = await Task.WhenAll(probes);
            var missing = sources.Where((_, k) => firsts[k] is null).Select(s => s.Host.Name).ToList();
            if (missing.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"new workload {workload.Address} on {target.Name} not reachable {s_newWorkloadTimeout.TotalSeconds:0} s after ADD from "
                    + $"{string.Join(", ", missing)}: {target.Agent.Tail(10)}");
            }

            var replies = firsts.Select(f => f!.Value).ToList();
            var all = Stopwatch.GetElapsedTime(start, replies.Max());
            reachable.Add(all.TotalMilliseconds);
            Log($"new workload {workload.Address} on {target.Name}: CNI ADD {workload.AddTime.TotalMilliseconds:0} ms, answered the first of {sources.Count} hosts "
                + $"{Stopwatch.GetElapsedTime(start, replies.Min()).TotalMilliseconds:0} ms after ADD began, the last {all.TotalMilliseconds:0} ms");
        }

        return new JsonObject
        {
            ["bench"] = "scale",
            ["hosts"] = hosts,
            ["workloads"] = hosts * workloadsPerHost,
            ["converge_s"] = Math.Round(converge.TotalSeconds, 1),
            ["agent_rss_p50_mb"] = Math.Round(P(rss, 50), 1),
            ["agent_rss_max_mb"] = Math.Round(rss.Max(), 1),
            // The median of the trials: one ADD on a shared two-core machine is too noisy to stand alone.
            ["new_workload_reachable_all_ms"] = Math.Round(P(reachable, 50), 0),
        }.ToJsonString();
    }

    /// <summary>The first workload of each host pings a workload on the next host, and on hosts a third and two thirds of the
    /// way round; a different workload of the target each time, so more than one endpoint per host is checked.</summary>
    private static List<Pair> SampledMatrix(LabCluster lab)
    {
        var hosts = lab.Hosts;
        var byHost = lab.Workloads.GroupBy(w => w.Host).ToDictionary(g => g.Key, g => g.ToList());
        int[] offsets = [1, Math.Max(2, hosts.Count / 3), Math.Max(3, 2 * hosts.Count / 3)];
        var pairs = new List<Pair>();
        for (var h = 0; h < hosts.Count; h++)
        {
            for (var k = 0; k < offsets.Length; k++)
            {
                var other = hosts[(h + offsets[k]) % hosts.Count];
                if (other == hosts[h])
                    continue;
                var targets = byHost[other];
                pairs.Add(new Pair(byHost[hosts[h]][0], targets[(h + k) % targets.Count]));
            }
        }

        return [.. pairs.Distinct()];
    }

    /// <summary>Pings every pending pair (a few at a time) until all have answered; returns the pair that answered last.</summary>
    private static async Task<Pair> WaitReachableAsync(List<Pair> pairs, Action<string> log, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var pending = pairs;
        var last = pairs[0];
        var round = 0;
        while (pending.Count > 0)
        {
            var failed = new System.Collections.Concurrent.ConcurrentBag<Pair>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (pair, _) =>
            {
                if (!IcmpProbe.Once(pair.From.Namespace, pair.To.Address, TimeSpan.FromMilliseconds(300)))
                    failed.Add(pair);
                return ValueTask.CompletedTask;
            });
            if (failed.Count < pending.Count)
                last = pending.Except(failed).Last();
            if (++round == 1 && !failed.IsEmpty)
                log($"{failed.Count} of {pairs.Count} pairs not reachable yet, e.g. {string.Join(", ", failed.Take(5))}");
            pending = [.. failed];
            if (pending.Count > 0 && watch.Elapsed > s_reachTimeout)
                throw new TimeoutException($"{pending.Count} pairs still unreachable after {s_reachTimeout.TotalSeconds:0} s: {string.Join(", ", pending.Take(8))}");
            if (pending.Count > 0)
            {
                // The poll interval of this condition wait (a probe that fails at once, on no route, would spin).
                await Task.Delay(50, cancellationToken);
            }
        }

        return last;
    }

    /// <summary>Echoes from <paramref name="from"/> to the new workload back to back until one is answered: the
    /// <see cref="Stopwatch"/> timestamp of that answer, or null when <paramref name="giveUp"/> fires first.</summary>
    private static long? FirstReply(ClusterWorkload from, ClusterWorkload to, CancellationToken giveUp)
    {
        while (!giveUp.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            if (IcmpProbe.Once(from.Namespace, to.Address, s_probeTimeout))
                return Stopwatch.GetTimestamp();
            // An unreachable answer comes back at once; pace those to one probe per timeout rather than spin.
            var left = s_probeTimeout - Stopwatch.GetElapsedTime(sent);
            if (left > TimeSpan.Zero)
                giveUp.WaitHandle.WaitOne(left);
        }

        return null;
    }

    /// <summary>Entries in the kernel's IPv4 neighbour table, which every namespace shares.</summary>
    private static int NeighbourEntries()
    {
        var line = File.ReadLines("/proc/net/stat/arp_cache").Skip(1).First();
        return Convert.ToInt32(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], 16);
    }

    private static double P(IEnumerable<double> values, double percentile) => Percentile.Of(values, percentile);

    private sealed record Pair(ClusterWorkload From, ClusterWorkload To)
    {
        public override string ToString() => $"{From.Name}->{To.Name}";
    }
}
