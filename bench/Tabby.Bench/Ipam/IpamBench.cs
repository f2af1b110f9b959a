using System.Diagnostics;
using System.Globalization;
using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Etcd;
using Tabby.Lab.Daemons;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Sqlite;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Model;

namespace Tabby.Bench.Ipam;

/// <summary>Allocations per second for one host and latency for eight contending hosts, on SQLite and etcd, and addresses held twice afterwards.</summary>
/// <remarks>
/// Every allocation is a CNI ADD's IPAM part: one IPv4 address under its own handle with node, namespace, pod and
/// timestamp attributes. The one host runs like a busy node: it holds at most <see cref="MaxPods"/> workloads
/// (kubelet's default limit) and releases the oldest by handle to make room, so it keeps two blocks as a real
/// node does; the figure is allocations per second of time spent allocating (releases are timed apart, on stderr).
/// Each contending host has its own datastore connection, as separate processes would, and allocates without
/// releasing. The pool (/16, /26 blocks) never runs short, so the figures are the allocation path's.
/// </remarks>
public static class IpamBench
{
    private const int SqliteOneHost = 3000;
    private const int EtcdOneHost = 800;
    private const int ContendingHosts = 8;
    private const int SqlitePerHost = 250;
    private const int EtcdPerHost = 150;
    // Tiered compilation keeps recompiling the allocation path for about the first thousand allocations (its
    // background compiler took a quarter of the CPU samples in the first measured seconds with a warm-up of 150):
    // the figures are the steady state a running process reaches, and the warm-up's own is printed beside them.
    private const int WarmUp = 1500;
    private const int MaxPods = 110;

    public static async Task<string> RunAsync()
    {
        var dir = Directory.CreateTempSubdirectory("tabby-bench-ipam-").FullName;
        try
        {
            var duplicates = 0;
            var path = Path.Combine(dir, "ipam.db");
            Scenario sqliteOne, sqliteMany;
            await using (var store = SqliteDatastore.Open(path))
            {
                await SetUpAsync(store).ConfigureAwait(false);
                var warm = await OneHostAsync(store, "sqlite-warm-up", WarmUp).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(warm.Describe()).ConfigureAwait(false);
                sqliteOne = await OneHostAsync(store, "sqlite-one", SqliteOneHost).ConfigureAwait(false);
                sqliteMany = await ContendedAsync(() => SqliteDatastore.Open(path), "sqlite-many", SqlitePerHost).ConfigureAwait(false);
                duplicates += await DuplicatesAsync(store, [sqliteOne, sqliteMany]).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(await CommitFloorAsync(store, "sqlite").ConfigureAwait(false)).ConfigureAwait(false);
            }

            Scenario etcdOne, etcdMany;
            var etcd = await EtcdServerProcess.StartAsync().ConfigureAwait(false);
            await using (etcd.ConfigureAwait(false))
            {
                var store = EtcdDatastore.Connect([etcd.ClientUrl]);
                await using (store.ConfigureAwait(false))
                {
                    await SetUpAsync(store).ConfigureAwait(false);
                    await OneHostAsync(store, "etcd-warm-up", WarmUp / 10).ConfigureAwait(false);
                    etcdOne = await OneHostAsync(store, "etcd-one", EtcdOneHost).ConfigureAwait(false);
                    etcdMany = await ContendedAsync(() => EtcdDatastore.Connect([etcd.ClientUrl]), "etcd-many", EtcdPerHost).ConfigureAwait(false);
                    duplicates += await DuplicatesAsync(store, [etcdOne, etcdMany]).ConfigureAwait(false);
                    await Console.Error.WriteLineAsync(await CommitFloorAsync(store, "etcd").ConfigureAwait(false)).ConfigureAwait(false);
                }
            }

            foreach (var s in new[] { sqliteOne, sqliteMany, etcdOne, etcdMany })
                await Console.Error.WriteLineAsync(s.Describe()).ConfigureAwait(false);
            return string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"bench":"ipam","sqlite_allocs_per_s":{{sqliteOne.PerSecond:0}},"etcd_allocs_per_s":{{etcdOne.PerSecond:0}},"sqlite_contended_p99_ms":{{sqliteMany.P99:0.00}},"etcd_contended_p99_ms":{{etcdMany.P99:0.00}},"duplicates":{{duplicates}}}""");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>What the datastore alone takes for the one write an allocation must make: a block of a busy node and a new
    /// handle, in one durable transaction, one after the other. A single host cannot allocate faster than this.</summary>
    private static async Task<string> CommitFloorAsync(IDatastore store, string name)
    {
        var blockKey = "/bench/floor/block";
        // A /26 block holding 55 workloads' attributes, as the one-host run keeps them: about 8 KB of JSON.
        var block = new byte[8 * 1024];
        Array.Fill(block, (byte)'x');
        var times = new List<double>(300);
        for (var i = 0; i < 300; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await store.TxnAsync(new TxnRequest
            {
                Then = [TxnOp.Put(blockKey, block), TxnOp.Put("/bench/floor/handle-" + i.ToString(CultureInfo.InvariantCulture), """{"block":{"10.64.0.0/26":1},"deleted":false}"""u8.ToArray())],
            }).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        var p50 = times[times.Count / 2];
        return string.Create(CultureInfo.InvariantCulture,
            $"ipam {name}-floor: one durable transaction of an 8 KB block and a handle takes p50 {p50:0.00} ms, p99 {times[(int)(times.Count * 0.99)]:0.00} ms: at most {1000 / p50:0}/s for one host");
    }

    private static async Task SetUpAsync(IDatastore store)
    {
        await new ResourceClient(store).CreateAsync(new IPPool { Metadata = { Name = "bench" }, Spec = new IPPoolSpec { Cidr = "10.64.0.0/16", BlockSize = 26 } }).ConfigureAwait(false);
        await new IpamClient(store).ConfigureAsync(maxBlocksPerHost: 1024).ConfigureAwait(false);
    }

    private static async Task<Scenario> OneHostAsync(IDatastore store, string name, int count)
    {
        var counting = new CountingDatastore(store);
        var ipam = new IpamClient(counting);
        var result = new Scenario(name, 1, counting);
        var held = new Queue<string>();
        var releasing = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (held.Count == MaxPods)
            {
                // A pod goes away: time it apart, and keep its round trips out of the allocation's count.
                result.Pause();
                var started = Stopwatch.GetTimestamp();
                await ipam.ReleaseByHandleAsync(held.Dequeue()).ConfigureAwait(false);
                releasing += Stopwatch.GetElapsedTime(started);
                result.Resume();
            }

            var allocation = await AllocateAsync(ipam, name, "host-0", i).ConfigureAwait(false);
            held.Enqueue(allocation.Handle);
            result.Add(allocation);
        }

        result.Finish(total.Elapsed - releasing);
        result.Note = string.Create(CultureInfo.InvariantCulture, $"{count - held.Count} releases by handle took {releasing.TotalMilliseconds / Math.Max(1, count - held.Count):0.00} ms each");
        while (held.TryDequeue(out var handle))
            await ipam.ReleaseByHandleAsync(handle).ConfigureAwait(false);
        return result;
    }

    private static async Task<Scenario> ContendedAsync(Func<IDatastore> open, string name, int perHost)
    {
        var stores = Enumerable.Range(0, ContendingHosts).Select(_ => new CountingDatastore(open())).ToList();
        var counts = new SumOf(stores);
        try
        {
            var ready = 0;
            var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var hosts = stores.Select((store, h) => Task.Run(async () =>
            {
                var ipam = new IpamClient(store);
                var host = "host-" + h.ToString(CultureInfo.InvariantCulture);
                // One allocation each before the clock starts, so connection setup and the first block claim are not measured.
                await AllocateAsync(ipam, name + "-warm", host, 0).ConfigureAwait(false);
                if (Interlocked.Increment(ref ready) == ContendingHosts)
                    allReady.SetResult();
                await start.Task.ConfigureAwait(false);
                var mine = new List<(string, string, double)>(perHost);
                for (var i = 0; i < perHost; i++)
                    mine.Add(await AllocateAsync(ipam, name, host, i).ConfigureAwait(false));
                return mine;
            })).ToList();
            await allReady.Task.ConfigureAwait(false);
            var result = new Scenario(name, ContendingHosts, counts);
            var total = Stopwatch.StartNew();
            start.SetResult();
            foreach (var list in await Task.WhenAll(hosts).ConfigureAwait(false))
                list.ForEach(result.Add);
            result.Finish(total.Elapsed);
            return result;
        }
        finally
        {
            foreach (var s in stores)
                await s.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(string Handle, string Ip, double Ms)> AllocateAsync(IpamClient ipam, string scenario, string host, int i)
    {
        var pod = $"{scenario}-{host}-{i.ToString(CultureInfo.InvariantCulture)}";
        var attrs = new Dictionary<string, string> { ["node"] = host, ["namespace"] = "bench", ["pod"] = pod, ["timestamp"] = IpamTime.Format(DateTimeOffset.UtcNow) };
        var started = Stopwatch.GetTimestamp();
        var got = await ipam.AutoAssignAsync(new AutoAssignRequest { Host = host, Num4 = 1, HandleId = "bench." + pod, Attributes = attrs }).ConfigureAwait(false);
        return ("bench." + pod, got.IPv4[0].Address.Address.ToString(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Addresses handed out twice: among what the clients were told and still hold, and what a check of the datastore finds.</summary>
    private static async Task<int> DuplicatesAsync(IDatastore store, Scenario[] scenarios)
    {
        // The one host released its workloads as it went (and at the end): only the contending hosts' are still held.
        var told = scenarios.Where(s => s.Hosts > 1).SelectMany(s => s.Allocations).ToList();
        var twice = told.Count - told.Select(a => a.Ip).Distinct(StringComparer.Ordinal).Count();
        var report = await new IpamChecker(store).CheckAsync().ConfigureAwait(false);
        twice += report.Problems.DuplicateAddresses.Count;
        // Every address a client was told it holds must be held by its handle.
        var byIp = report.Allocations.ToLookup(a => a.Ip, StringComparer.Ordinal);
        twice += told.Count(a => !byIp[a.Ip].Any(x => x.Handle == a.Handle));
        // And no two allocations the one host held at the same time shared an address.
        foreach (var one in scenarios.Where(s => s.Hosts == 1))
            twice += one.OverlappingHolds(MaxPods);
        if (twice > 0)
            await Console.Error.WriteLineAsync($"ipam: {twice} addresses held twice or not held as told on {store.Endpoint}").ConfigureAwait(false);
        return twice;
    }

    /// <summary>The round-trip counts of several hosts' connections together.</summary>
    private sealed class SumOf(List<CountingDatastore> stores) : IRoundTrips
    {
        public long Gets => stores.Sum(s => s.Gets);

        public long Lists => stores.Sum(s => s.Lists);

        public long Txns => stores.Sum(s => s.Txns);

        public long Revisions => stores.Sum(s => s.Revisions);
    }
}
