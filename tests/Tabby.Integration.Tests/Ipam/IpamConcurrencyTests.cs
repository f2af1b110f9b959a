using System.Globalization;
using Tabby.Api.Resources;
using Tabby.Cli.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Etcd;
using Tabby.Lab.Daemons;
using Tabby.Datastore.Resources;
using Tabby.Integration.Tests.Cli;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Store;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>Eight processes acting as eight hosts' CNI plugins on one small pool, on SQLite and on a real etcd, with crashes and an etcd outage.</summary>
/// <remarks>
/// The pool has eight /26 blocks, one per host once all have claimed one, so blocks run out. Even hosts keep
/// one workload in three (about 84 of 250 at the end, more than their 64-address block), odd hosts one in twenty:
/// the even hosts must borrow from the odd hosts' blocks.
/// </remarks>
public sealed class IpamConcurrencyTests : IAsyncLifetime
{
    private const int Hosts = 8;
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-ipam-concurrency-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private string Sqlite => "sqlite:" + Path.Combine(_dir, "ipam.db");

    private static int KeepEvery(int host) => host % 2 == 0 ? 3 : 20;

    private static string HostName(int host) => "host-" + host.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Eight_hosts_on_sqlite_never_hold_an_address_twice_and_leave_nothing_behind() =>
        await RunCleanAsync(Sqlite, 250);

    [Fact]
    public async Task Eight_hosts_on_etcd_never_hold_an_address_twice_and_leave_nothing_behind()
    {
        var etcd = await EtcdServerProcess.StartAsync(TimeSpan.FromSeconds(20));
        await using (etcd)
            await RunCleanAsync("etcd:" + etcd.ClientUrl.ToString().TrimEnd('/'), 250);
    }

    [Fact]
    public async Task Hosts_killed_mid_run_leave_only_what_check_explains_and_release_from_report_repairs()
    {
        await SetUpPoolAsync(Sqlite);
        var processes = StartHosts(Sqlite, 120, pauseHost: 2, pauseAfter: 40);
        try
        {
            // host-2 stops between allocating and writing its endpoint; host-5 dies wherever it happens to be.
            var hold = await processes[2].WaitForLineAsync(l => l.StartsWith("hold ", StringComparison.Ordinal), s_runTimeout);
            await processes[2].KillAsync();
            await processes[5].WaitForLineAsync(l => l.StartsWith("alloc ", StringComparison.Ordinal) && processes[5].Lines.Count >= 50, s_runTimeout);
            await processes[5].KillAsync();
            foreach (var p in processes.Where(p => p.Host is not ("host-2" or "host-5")))
                Assert.Equal(0, await p.WaitAsync(s_runTimeout));

            var logs = processes.ToDictionary(p => p.Host, p => HostLog.Parse(p.Lines));
            await using var store = DatastoreConnectionString.Open(Sqlite);
            var report = await new IpamChecker(store).CheckAsync();
            var killed = new[] { "host-2", "host-5" };
            var held = HeldByHandle(report);

            // Survivors hold exactly what they reported. A killed host may have died between a datastore write and
            // its line: one reported address released but not yet said to be, or one allocation not yet reported
            // (leaked when it died before writing the endpoint); anything else would be a lost or invented address.
            foreach (var (host, log) in logs)
            {
                var mine = held.Where(h => h.Key.StartsWith($"net.{host}-", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value);
                var missing = log.Held.Keys.Except(mine.Keys).ToList();
                var extra = mine.Keys.Except(log.Held.Keys).ToList();
                foreach (var (handle, ip) in log.Held.Where(h => mine.ContainsKey(h.Key)))
                    Assert.Equal([ip], mine[handle]);
                if (!killed.Contains(host))
                {
                    Assert.Empty(missing);
                    Assert.Empty(extra);
                    continue;
                }

                Assert.True(missing.Count <= 1, $"{host} lost {string.Join(", ", missing)}");
                Assert.True(extra.Count(h => !report.Problems.LeakedAddresses.Any(l => l.Handle == h)) <= 1, $"{host} holds unreported {string.Join(", ", extra)}");
            }

            Assert.Contains(report.Problems.LeakedAddresses, l => l.Handle == hold.Split(' ')[1] && l.Ip == hold.Split(' ')[2]);
            // Everything check found is what a crash of those two can leave: addresses allocated but never
            // given an endpoint (or whose endpoint was deleted but not released), claims never finished.
            Assert.All(report.Problems.LeakedAddresses, l => Assert.Contains(l.Node, killed));
            Assert.All(report.Problems.PendingAffinities, a => Assert.Contains(a.Host, killed));
            Assert.Equal(report.Problems.LeakedAddresses.Count + report.Problems.PendingAffinities.Count, report.Summary.Problems);

            var tabby = new TabbyRunner(Sqlite);
            var file = Path.Combine(_dir, "report.json");
            await tabby.ExpectAsync(ExitCodes.SomeFailed, "ipam", "check", "--leak-grace", "0", "-o", file);
            var repair = await tabby.ExpectAsync(ExitCodes.Ok, "ipam", "release", "--from-report", file);
            await tabby.ExpectAsync(ExitCodes.Ok, "ipam", "check", "--leak-grace", "0");
            await AssertReleasingEveryHandleLeavesNothingAsync(store);
        }
        finally
        {
            foreach (var p in processes)
                p.Dispose();
        }
    }

    [Fact]
    public async Task Etcd_stopped_and_restarted_mid_run_loses_no_allocation_reported_as_made()
    {
        var etcd = await EtcdServerProcess.StartAsync(TimeSpan.FromSeconds(20));
        await using (etcd)
        {
            var datastore = "etcd:" + etcd.ClientUrl.ToString().TrimEnd('/');
            await SetUpPoolAsync(datastore);
            var processes = StartHosts(datastore, 120);
            try
            {
                await WaitUntilAsync(() => processes.Sum(p => p.Lines.Count) >= 200, "200 steps before the outage");
                await etcd.KillAsync();
                // Down until the hosts have noticed: at least half of them are retrying.
                await WaitUntilAsync(() => processes.Count(p => p.Errors.Any(e => e.StartsWith("retry ", StringComparison.Ordinal))) >= Hosts / 2, "hosts retrying through the outage");
                await etcd.RestartAsync(TimeSpan.FromSeconds(20));
                foreach (var p in processes)
                    Assert.True(await p.WaitAsync(s_runTimeout) == 0, $"{p.Host}: {string.Join(" | ", p.Errors.Where(e => !e.StartsWith("retry ", StringComparison.Ordinal)).TakeLast(5))}");
                Assert.Contains(processes, p => p.Errors.Any(e => e.StartsWith("retry ", StringComparison.Ordinal)));
                await AssertConsistentAsync(datastore, processes);
            }
            finally
            {
                foreach (var p in processes)
                    p.Dispose();
            }
        }
    }

    private async Task RunCleanAsync(string datastore, int allocations)
    {
        await SetUpPoolAsync(datastore);
        var processes = StartHosts(datastore, allocations);
        try
        {
            foreach (var p in processes)
                Assert.True(await p.WaitAsync(s_runTimeout) == 0, $"{p.Host}: {string.Join(" | ", p.Errors.TakeLast(5))}");
            var logs = await AssertConsistentAsync(datastore, processes);
            Assert.All(logs.Values, l => Assert.Equal(allocations, l.Allocated.Count));
            // Blocks ran out and the hosts that kept more than a block's worth borrowed.
            Assert.True(logs.Values.Sum(l => l.Borrowed) > 0, "no host borrowed an address");
        }
        finally
        {
            foreach (var p in processes)
                p.Dispose();
        }
    }

    /// <summary>Each host's reported addresses are exactly what its handles hold, no address is held twice, check is clean, and releasing every handle empties every block.</summary>
    private static async Task<Dictionary<string, HostLog>> AssertConsistentAsync(string datastore, List<HostProcess> processes)
    {
        var logs = processes.ToDictionary(p => p.Host, p => HostLog.Parse(p.Lines));
        Assert.All(logs.Values, l => Assert.True(l.Done));
        await using var store = DatastoreConnectionString.Open(datastore);
        var report = await new IpamChecker(store).CheckAsync();
        var held = HeldByHandle(report);
        foreach (var (host, log) in logs)
        {
            var mine = held.Where(h => h.Key.StartsWith($"net.{host}-", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value);
            Assert.Equal(log.Held.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value}"),
                mine.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {string.Join(",", h.Value)}"));
        }

        var believed = logs.Values.SelectMany(l => l.Held.Values).ToList();
        Assert.Equal(believed.Count, believed.Distinct(StringComparer.Ordinal).Count());
        Assert.True(report.Summary.Problems == 0, $"{report.Summary.Problems} problems: {System.Text.Encoding.UTF8.GetString(IpamRepairer.WriteReport(report))[..2000]}");
        Assert.Empty(report.Problems.DuplicateAddresses);
        await new TabbyRunner(datastore).ExpectAsync(ExitCodes.Ok, "ipam", "check", "--leak-grace", "0");
        await AssertReleasingEveryHandleLeavesNothingAsync(store);
        return logs;
    }

    private static async Task AssertReleasingEveryHandleLeavesNothingAsync(IDatastore store)
    {
        var ipam = new IpamClient(store);
        var handles = await new IpamStore(store).ListHandlesAsync(0, default);
        var queue = new Queue<string>(handles.Select(h => h.HandleId));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (true)
            {
                string handle;
                lock (queue)
                {
                    if (!queue.TryDequeue(out handle!))
                        return;
                }

                await ipam.ReleaseByHandleAsync(handle);
            }
        }));
        var blocks = await new IpamStore(store).ListBlocksAsync(null, 0, default);
        Assert.Empty(blocks.Problems);
        Assert.All(blocks.Blocks, b => Assert.True(b.IsEmpty, $"block {b.Cidr} still holds addresses"));
        Assert.Empty(await new IpamStore(store).ListHandlesAsync(0, default));
    }

    /// <summary>Handle to the addresses the blocks hold for it (released ones cooling down excluded).</summary>
    private static Dictionary<string, List<string>> HeldByHandle(IpamReport report) =>
        report.Allocations.Where(a => !a.CoolingDown && a.Handle is not null)
            .GroupBy(a => a.Handle!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Ip).ToList(), StringComparer.Ordinal);

    private static async Task SetUpPoolAsync(string datastore)
    {
        await using var store = DatastoreConnectionString.Open(datastore);
        await new ResourceClient(store).CreateAsync(new IPPool { Metadata = { Name = "small" }, Spec = new IPPoolSpec { Cidr = "10.30.0.0/23", BlockSize = 26 } });
    }

    private static List<HostProcess> StartHosts(string datastore, int allocations, int? pauseHost = null, int? pauseAfter = null) =>
        [.. Enumerable.Range(0, Hosts).Select(h => HostProcess.Start(datastore, HostName(h), allocations, KeepEvery(h), seed: 1000 + h, pauseAfter: h == pauseHost ? pauseAfter : null))];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_runTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
