using Tabby.Datastore.Sqlite;
using Tabby.Datastore.Syncer;
using Tabby.Datastore.Tests.Conformance;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Syncer;

/// <summary>After an outage the syncer re-lists and sends exactly the difference, nothing more.</summary>
public sealed class SyncerRecoveryTests : IAsyncLifetime
{
    private const string P = "/calico/resources/v3/projectcalico.org/ippools/";
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-syncer-").FullName;
    private SqliteDatastore? _store;

    private SqliteDatastore Store => _store!;

    public Task InitializeAsync()
    {
        _store = SqliteDatastore.Open(Path.Combine(_dir, "s.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Resync_after_an_outage_and_compaction_sends_exactly_the_diff()
    {
        for (var i = 1; i <= 10; i++)
        {
            await Store.PutAsync(P + "a" + i, B("v1"));
        }

        var flaky = new FlakyDatastore(Store);
        var consumer = new RecordingConsumer();
        await using var syncer = new DatastoreSyncer(flaky, [P], consumer, new SyncerOptions { MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), ListPageSize = 3 });
        syncer.Start();
        await syncer.WaitForInSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(10, consumer.LogCount);

        flaky.GoDown();
        await WaitUntilAsync(() => Task.FromResult(syncer.Status == SyncStatus.ResyncInProgress), TimeSpan.FromSeconds(5), "the syncer to notice the outage");
        var mark = consumer.LogCount;

        // Changes the syncer cannot see, then compaction so its watch position is gone for good.
        await Store.DeleteAsync(P + "a1");
        await Store.DeleteAsync(P + "a2");
        await Store.PutAsync(P + "a3", B("v2"));
        await Store.PutAsync(P + "a11", B("new"));
        await Store.PutAsync(P + "a4", B("v2"));
        await Store.PutAsync(P + "a4", B("v1"));
        await Store.CompactAsync(await Store.GetRevisionAsync());
        flaky.ComeBack();

        await ConvergenceProbe.AssertConvergedAsync(Store, syncer, consumer, [P]);
        var diff = consumer.LogSince(mark).Select(u => (u.Key[P.Length..], u.IsDelete ? "<deleted>" : S(u.Value))).OrderBy(x => x.Item1, StringComparer.Ordinal);

        // a4 changed twice and is back to its old value, but its revision moved: one update, no more.
        Assert.Equal([("a1", "<deleted>"), ("a11", "new"), ("a2", "<deleted>"), ("a3", "v2"), ("a4", "v1")], diff);
        Assert.Equal([SyncStatus.WaitingForDatastore, SyncStatus.InSync, SyncStatus.ResyncInProgress, SyncStatus.InSync], consumer.Statuses);
    }

    [Fact]
    public async Task A_syncer_started_while_the_store_is_down_waits_then_syncs()
    {
        await Store.PutAsync(P + "x", B("1"));
        var flaky = new FlakyDatastore(Store);
        flaky.GoDown();
        var consumer = new RecordingConsumer();
        await using var syncer = new DatastoreSyncer(flaky, [P], consumer, new SyncerOptions { MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) });
        syncer.Start();
        await Task.Yield();
        Assert.Equal(SyncStatus.WaitingForDatastore, syncer.Status);
        flaky.ComeBack();
        await syncer.WaitForInSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("1", S(syncer.Snapshot(P)[P + "x"].Value));
    }

    [Fact]
    public void Overlapping_prefixes_are_refused()
    {
        var consumer = new RecordingConsumer();
        Assert.Throws<ArgumentException>(() => new DatastoreSyncer(Store, ["/calico/", "/calico/resources/"], consumer));
    }
}
