using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Tabby.Datastore;
using Tabby.Datastore.Etcd;
using Tabby.Datastore.Sqlite;
using Tabby.Lab.Daemons;

namespace Tabby.Bench.Datastore;

/// <summary>Write throughput and put-to-event latency for the SQLite and etcd backends, as one JSON line.</summary>
/// <remarks>
/// The latency figures (<c>*_put_to_event_p99_ms</c>) run from just before a writer calls put to the
/// watcher receiving the event, so they include the commit itself, not only its delivery. The
/// writer stamps each value with the monotonic clock (one clock for every process on the machine).
/// Every writer, in this process or in the one this executable re-launches as
/// <c>datastore-writer PATH COUNT</c> (see <see cref="RunWriterAsync"/>), waits the same 2 ms
/// between puts, so each event is measured alone rather than behind a backlog and the figures compare.
/// </remarks>
public static class DatastoreBench
{
    /// <summary>The argument that makes the bench executable act as the cross-process writer.</summary>
    public const string WriterVerb = "datastore-writer";

    private const int SqliteSeq = 2000;
    private const int SqliteBatch = 200_000;
    private const int SqliteWindow = 4096;
    private const int EtcdSeq = 500;
    private const int EtcdBatch = 20_000;
    private const int EtcdWindow = 64;
    private const int WatchSamples = 1000;
    private const int XprocSamples = 500;
    private const int EtcdWatchSamples = 300;

    /// <summary>The pause every latency writer makes between puts.</summary>
    private static readonly TimeSpan s_putSpacing = TimeSpan.FromMilliseconds(2);

    // A Calico-sized value: a small JSON resource.
    private static readonly byte[] s_value = Encoding.UTF8.GetBytes(
        """{"kind":"WorkloadEndpoint","spec":{"node":"host-1","ipNetworks":["10.20.1.2/32"],"interfaceName":"cali0123456789a","profiles":["kns.default"]}}""");

    /// <summary>Runs every scenario and returns the JSON line.</summary>
    public static async Task<string> RunAsync()
    {
        var dir = Directory.CreateTempSubdirectory("tabby-bench-ds-").FullName;
        try
        {
            var path = Path.Combine(dir, "bench.db");
            double sqliteSeq, sqliteBatch, sqlitePutToEvent, xprocPutToEvent;
            await using (var sqlite = SqliteDatastore.Open(path))
            {
                sqliteSeq = await SequentialAsync(sqlite, "/bench/seq/", SqliteSeq).ConfigureAwait(false);
                sqliteBatch = await WindowedAsync(sqlite, "/bench/batch/", SqliteBatch, SqliteWindow).ConfigureAwait(false);
                sqlitePutToEvent = await PutToEventP99Async(sqlite, "/bench/watch/", WatchSamples).ConfigureAwait(false);
                xprocPutToEvent = await CrossProcessPutToEventP99Async(sqlite, path, XprocSamples).ConfigureAwait(false);
            }

            double etcdSeq, etcdBatch, etcdPutToEvent;
            var etcd = await EtcdServerProcess.StartAsync().ConfigureAwait(false);
            await using (etcd.ConfigureAwait(false))
            {
                var store = EtcdDatastore.Connect([etcd.ClientUrl]);
                await using (store.ConfigureAwait(false))
                {
                    etcdSeq = await SequentialAsync(store, "/bench/seq/", EtcdSeq).ConfigureAwait(false);
                    etcdBatch = await WindowedAsync(store, "/bench/batch/", EtcdBatch, EtcdWindow).ConfigureAwait(false);
                    etcdPutToEvent = await PutToEventP99Async(store, "/bench/watch/", EtcdWatchSamples).ConfigureAwait(false);
                }
            }

            return string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"bench":"datastore","sqlite_seq_per_s":{{sqliteSeq:0}},"sqlite_batch_per_s":{{sqliteBatch:0}},"etcd_seq_per_s":{{etcdSeq:0}},"etcd_batch_per_s":{{etcdBatch:0}},"sqlite_put_to_event_p99_ms":{{sqlitePutToEvent:0.00}},"sqlite_xproc_put_to_event_p99_ms":{{xprocPutToEvent:0.00}},"etcd_put_to_event_p99_ms":{{etcdPutToEvent:0.00}}}""");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The child side of the cross-process scenario: <c>datastore-writer PATH COUNT</c>.</summary>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunWriterAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count != 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count))
        {
            await Console.Error.WriteLineAsync($"usage: {WriterVerb} PATH COUNT").ConfigureAwait(false);
            return 2;
        }

        await using var store = SqliteDatastore.Open(args[0]);
        await WriteStampedAsync(store, "/bench/xproc/", count).ConfigureAwait(false);
        return 0;
    }

    private static async Task<double> SequentialAsync(IDatastore store, string prefix, int count)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await store.PutAsync(prefix + i.ToString(CultureInfo.InvariantCulture), s_value).ConfigureAwait(false);
        }

        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Many writers in flight at once (the SQLite writer coalesces them into group commits).</summary>
    private static async Task<double> WindowedAsync(IDatastore store, string prefix, int count, int window)
    {
        var inFlight = new Queue<Task<long>>(window);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (inFlight.Count == window)
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }

            inFlight.Enqueue(store.PutAsync(prefix + i.ToString(CultureInfo.InvariantCulture), s_value));
        }

        while (inFlight.Count > 0)
        {
            await inFlight.Dequeue().ConfigureAwait(false);
        }

        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>p99 of put-call-to-event latency with the writer and the watcher in this process.</summary>
    private static async Task<double> PutToEventP99Async(IDatastore store, string prefix, int samples)
    {
        var from = await store.GetRevisionAsync().ConfigureAwait(false) + 1;
        var latencies = new List<double>(samples);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watching = CollectAsync(store, prefix, from, samples, latencies, cts.Token);
        await WriteStampedAsync(store, prefix, samples).ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        return P99(latencies);
    }

    /// <summary>The one latency writer: each value is the monotonic time just before its put; puts are spaced alike.</summary>
    private static async Task WriteStampedAsync(IDatastore store, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var stamp = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
            await store.PutAsync(prefix + "k" + (i % 64).ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(stamp)).ConfigureAwait(false);
            await Task.Delay(s_putSpacing).ConfigureAwait(false);
        }
    }

    /// <summary>p99 of put-call-to-event latency for writes made by another process on the same file.</summary>
    private static async Task<double> CrossProcessPutToEventP99Async(IDatastore store, string path, int samples)
    {
        var from = await store.GetRevisionAsync().ConfigureAwait(false) + 1;
        var latencies = new List<double>(samples);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var watching = CollectAsync(store, "/bench/xproc/", from, samples, latencies, cts.Token);

        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("no process path")) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            // Started as `dotnet Tabby.Bench.dll`: the child needs the assembly path too.
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        info.ArgumentList.Add(WriterVerb);
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(samples.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the writer process");
        try
        {
            await child.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"writer process exited with {child.ExitCode}");
            }

            await watching.ConfigureAwait(false);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }

        return P99(latencies);
    }

    private static async Task CollectAsync(IDatastore store, string prefix, long from, int samples, List<double> latencies, CancellationToken cancellationToken)
    {
        await foreach (var e in store.WatchAsync(prefix, from, cancellationToken).ConfigureAwait(false))
        {
            var sent = long.Parse(Encoding.UTF8.GetString(e.Value!), CultureInfo.InvariantCulture);
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            if (latencies.Count == samples)
            {
                return;
            }
        }
    }

    private static double P99(List<double> values)
    {
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(values.Count * 0.99) - 1)];
    }
}
