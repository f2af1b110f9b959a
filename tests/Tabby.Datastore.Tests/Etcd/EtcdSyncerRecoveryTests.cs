using Tabby.Datastore.Syncer;
using Tabby.Datastore.Tests.Conformance;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Etcd;

/// <summary>The syncer survives etcd dying mid-stream and history being compacted while it was away.</summary>
public sealed class EtcdSyncerRecoveryTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task Syncer_converges_after_etcd_is_killed_and_restarted()
    {
        var server = etcd.Server;
        var prefixes = new[] { "/calico/resources/v3/projectcalico.org/ippools/", "/calico/resources/v3/projectcalico.org/nodes/" };
        await using var store = DatastoreConnectionString.Open("etcd:" + server.ClientUrl);
        for (var i = 0; i < 30; i++)
        {
            await store.PutAsync(prefixes[i % 2] + "k" + i, B("v0"));
        }

        var consumer = new RecordingConsumer();
        await using var syncer = new DatastoreSyncer(store, prefixes, consumer, new SyncerOptions { MinBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(300), ListPageSize = 8 });
        syncer.Start();
        await syncer.WaitForInSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Writers keep going while the server dies under them; failures while it is down are expected.
        using var stopWriters = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            var i = 0;
            while (!stopWriters.IsCancellationRequested)
            {
                i++;
                try
                {
                    var key = prefixes[i % 2] + "k" + (i % 40);
                    if (i % 3 == 0)
                    {
                        await store.DeleteAsync(key);
                    }
                    else
                    {
                        await store.PutAsync(key, B("w" + i));
                    }

                    Interlocked.Increment(ref written);
                }
                catch (DatastoreUnavailableException)
                {
                    // Pacing, not synchronisation: do not spin on a dead server while it is down.
                    await Task.Delay(10);
                }
            }
        });

        // Kill the server only once the syncer is streaming the writers' changes, so the outage cuts a live watch.
        var listed = consumer.LogCount;
        await WaitUntilAsync(() => Task.FromResult(consumer.LogCount >= listed + 20), TimeSpan.FromSeconds(10), "the syncer to stream the writers' changes");
        await server.KillAsync();
        await WaitUntilAsync(() => Task.FromResult(syncer.Status != SyncStatus.InSync), TimeSpan.FromSeconds(10), "the syncer to notice the outage");
        await server.RestartAsync();

        // While the syncer is reconnecting: delete a batch, then compact, so its old watch revision is gone.
        for (var i = 0; i < 40; i += 4)
        {
            await store.DeleteAsync(prefixes[0] + "k" + i);
        }

        await store.CompactAsync(await store.GetRevisionAsync());

        // Let the writers land changes above the compaction while the syncer recovers, then stop them.
        var compacted = Volatile.Read(ref written);
        await WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref written) >= compacted + 20), TimeSpan.FromSeconds(10), "writes after the compaction");
        await stopWriters.CancelAsync();
        await writer;

        await ConvergenceProbe.AssertConvergedAsync(store, syncer, consumer, prefixes);
        Assert.Contains(SyncStatus.ResyncInProgress, consumer.Statuses);
        Assert.Equal(SyncStatus.InSync, consumer.Statuses[^1]);
    }
}
