using Tabby.Datastore.Syncer;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Conformance;

/// <summary>The behaviour every backend must share; subclasses supply the store.</summary>
public abstract class DatastoreConformanceTests : IAsyncLifetime
{
    private IDatastore? _store;

    protected IDatastore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <summary>A prefix no other test uses, so tests can share one server.</summary>
    protected string P { get; } = "/t/" + Guid.NewGuid().ToString("N")[..12] + "/";

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected abstract Task<IDatastore> CreateStoreAsync();

    [Fact]
    public async Task Put_get_delete_track_revisions_and_versions()
    {
        Assert.Null(await Store.GetAsync(P + "a"));
        var r1 = await Store.PutAsync(P + "a", B("one"));
        var r2 = await Store.PutAsync(P + "a", B("two"));
        Assert.True(r2 > r1);
        var kv = await Store.GetRequiredAsync(P + "a");
        Assert.Equal("two", S(kv.Value));
        Assert.Equal(r2, kv.ModRevision);
        Assert.Equal(r1, kv.CreateRevision);
        Assert.Equal(2, kv.Version);
        Assert.Null(kv.LeaseId);
        Assert.True(await Store.GetRevisionAsync() >= r2);

        var deleted = await Store.DeleteAsync(P + "a");
        Assert.Equal("two", S(deleted!.Value));
        Assert.Null(await Store.GetAsync(P + "a"));
        Assert.Null(await Store.DeleteAsync(P + "a"));
        await Assert.ThrowsAsync<DatastoreNotFoundException>(() => Store.GetRequiredAsync(P + "a"));
    }

    [Fact]
    public async Task List_pages_read_one_consistent_revision()
    {
        for (var i = 0; i < 25; i++)
        {
            await Store.PutAsync($"{P}k{i:D2}", B($"v{i}"));
        }

        await Store.PutAsync(P[..^1] + "x/outside", B("not under the prefix"));
        var first = await Store.ListAsync(P, new ListOptions { Limit = 10 });
        Assert.Equal(10, first.Items.Count);
        Assert.True(first.More);

        // Change the range between pages: later pages must still show the first page's revision.
        await Store.DeleteAsync(P + "k15");
        await Store.PutAsync(P + "k20", B("changed"));
        await Store.PutAsync(P + "k99", B("new"));

        var all = new List<KeyValue>(first.Items);
        var next = first.ContinueKey;
        while (next is not null)
        {
            var page = await Store.ListAsync(P, new ListOptions { Limit = 10, Revision = first.Revision, ContinueKey = next });
            Assert.Equal(first.Revision, page.Revision);
            all.AddRange(page.Items);
            next = page.ContinueKey;
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"{P}k{i:D2}"), all.Select(k => k.Key));
        Assert.Equal("v20", S(all[20].Value));

        var now = await Store.ListAllAsync(P, pageSize: 7);
        Assert.Equal(25, now.Items.Count);
        Assert.DoesNotContain(now.Items, k => k.Key == P + "k15");
        Assert.Equal("changed", S(now.Items.Single(k => k.Key == P + "k20").Value));
    }

    [Fact]
    public async Task Compare_and_swap_succeeds_once_and_reports_conflicts()
    {
        var created = await Store.CreateAsync(P + "block", B("v1"));
        var dup = await Assert.ThrowsAsync<DatastoreConflictException>(() => Store.CreateAsync(P + "block", B("again")));
        Assert.Equal(created.ModRevision, dup.CurrentModRevision);

        var updated = await Store.UpdateAsync(P + "block", B("v2"), created.ModRevision);
        Assert.True(updated.ModRevision > created.ModRevision);
        Assert.Equal(2, updated.Version);
        var stale = await Assert.ThrowsAsync<DatastoreConflictException>(() => Store.UpdateAsync(P + "block", B("v3"), created.ModRevision));
        Assert.Equal(updated.ModRevision, stale.CurrentModRevision);
        await Assert.ThrowsAsync<DatastoreNotFoundException>(() => Store.UpdateAsync(P + "missing", B("x"), 5));

        // A raw transaction: value guard, then-branch writes two keys atomically; else-branch reads.
        var txn = await Store.TxnAsync(new TxnRequest
        {
            If = [Compare.ValueIs(P + "block", B("v2")), Compare.Missing(P + "other")],
            Then = [TxnOp.Put(P + "other", B("o")), TxnOp.Delete(P + "block")],
            Else = [TxnOp.Get(P + "block")],
        });
        Assert.True(txn.Succeeded);
        Assert.Equal("v2", S(txn.Results[1]!.Value));
        Assert.Null(await Store.GetAsync(P + "block"));
        var failed = await Store.TxnAsync(new TxnRequest { If = [Compare.ValueIs(P + "block", B("v2"))], Else = [TxnOp.Get(P + "other")] });
        Assert.False(failed.Succeeded);
        Assert.Equal("o", S(failed.Results[0]!.Value));

        // Many racing claimers of one key: exactly one wins.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Store.CreateAsync(P + "claim", B($"host{i}"));
                return true;
            }
            catch (DatastoreConflictException)
            {
                return false;
            }
        }));
        Assert.Single(claims, c => c);
        await Assert.ThrowsAsync<DatastoreConflictException>(() => Store.DeleteAsync(P + "other", 1));
    }

    [Fact]
    public async Task Lease_expiry_and_revoke_remove_attached_keys()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(1));
        await Store.PutAsync(P + "ephemeral", B("x"), lease);
        Assert.Equal(lease, (await Store.GetRequiredAsync(P + "ephemeral")).LeaseId);
        Assert.True(await Store.KeepAliveLeaseAsync(lease) > TimeSpan.Zero);
        await WaitUntilAsync(async () => await Store.GetAsync(P + "ephemeral") is null, TimeSpan.FromSeconds(10), "the leased key to vanish");
        await Assert.ThrowsAsync<DatastoreNotFoundException>(() => Store.KeepAliveLeaseAsync(lease));

        var second = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(60));
        await Store.PutAsync(P + "r1", B("x"), second);
        await Store.CreateAsync(P + "r2", B("y"), second);
        await Store.RevokeLeaseAsync(second);
        Assert.Empty((await Store.ListAsync(P)).Items);
        await Assert.ThrowsAsync<DatastoreNotFoundException>(() => Store.PutAsync(P + "r3", B("z"), second));
    }

    [Fact]
    public async Task Watch_from_a_revision_replays_then_streams()
    {
        await Store.PutAsync(P + "a", B("a1"));
        var start = await Store.PutAsync(P + "b", B("b1"));
        await Store.PutAsync(P + "c", B("c1"));
        await Store.DeleteAsync(P + "a");
        await Store.PutAsync(P[..^1] + "zz/other", B("outside"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<WatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Store.WatchAsync(P, start, cts.Token))
            {
                seen.Add(e);
                if (seen.Count == 4)
                {
                    break;
                }
            }
        });
        await WaitUntilAsync(() => Task.FromResult(seen.Count >= 3), TimeSpan.FromSeconds(10), "replayed events");
        await Store.PutAsync(P + "d", B("d1"));
        await watching;

        Assert.Equal([P + "b", P + "c", P + "a", P + "d"], seen.Select(e => e.Key));
        Assert.Equal([WatchEventKind.Put, WatchEventKind.Put, WatchEventKind.Delete, WatchEventKind.Put], seen.Select(e => e.Kind));
        Assert.Equal("a1", S(seen[2].PrevValue));
        Assert.Null(seen[2].Value);
        Assert.Equal(start, seen[0].ModRevision);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.ModRevision < p.Second.ModRevision));
    }

    [Fact]
    public async Task Watch_and_list_below_the_compaction_point_report_compacted()
    {
        var early = await Store.PutAsync(P + "a", B("1"));
        await Store.PutAsync(P + "a", B("2"));
        await Store.PutAsync(P + "b", B("1"));
        await Store.DeleteAsync(P + "b");
        var compactAt = await Store.PutAsync(P + "c", B("1"));
        await Store.PutAsync(P + "a", B("3"));
        await Store.CompactAsync(compactAt);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<DatastoreCompactedException>(async () =>
        {
            await foreach (var unused in Store.WatchAsync(P, early, cts.Token))
            {
            }
        });
        Assert.Equal(compactAt, ex.CompactRevision);
        await Assert.ThrowsAsync<DatastoreCompactedException>(() => Store.ListAsync(P, new ListOptions { Revision = early }));

        // The state at the compaction point survives, and so does the history after it.
        var atCompact = await Store.ListAsync(P, new ListOptions { Revision = compactAt });
        Assert.Equal([("a", "2"), ("c", "1")], atCompact.Items.Select(k => (k.Key[P.Length..], S(k.Value))));
        await foreach (var e in Store.WatchAsync(P, compactAt + 1, cts.Token))
        {
            Assert.Equal(P + "a", e.Key);
            Assert.Equal("3", S(e.Value));
            break;
        }
    }

    [Fact]
    public async Task Every_write_of_a_transaction_shares_one_revision()
    {
        await Store.PutAsync(P + "gone", B("x"));
        var txn = await Store.TxnAsync(new TxnRequest
        {
            Then = [TxnOp.Put(P + "b", B("1")), TxnOp.Get(P + "gone"), TxnOp.Put(P + "a", B("2")), TxnOp.Delete(P + "gone"), TxnOp.Put(P + "c", B("3"))],
        });
        Assert.True(txn.Succeeded);
        Assert.Equal(txn.Revision, txn.Results[0]!.ModRevision);
        Assert.Equal(txn.Revision, txn.Results[2]!.ModRevision);
        Assert.Equal(txn.Revision, txn.Results[4]!.ModRevision);
        Assert.Equal(txn.Revision, await Store.GetRevisionAsync());
        var listed = await Store.ListAsync(P);
        Assert.All(listed.Items, kv => Assert.Equal(txn.Revision, kv.ModRevision));

        // A watch from that revision sees the writes in the transaction's own order, all at one revision.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<WatchEvent>();
        await foreach (var e in Store.WatchAsync(P, txn.Revision, cts.Token))
        {
            seen.Add(e);
            if (seen.Count == 4)
            {
                break;
            }
        }

        Assert.Equal([P + "b", P + "a", P + "gone", P + "c"], seen.Select(e => e.Key));
        Assert.All(seen, e => Assert.Equal(txn.Revision, e.ModRevision));

        // A transaction that writes nothing takes no revision.
        var read = await Store.TxnAsync(new TxnRequest { Then = [TxnOp.Get(P + "a")] });
        Assert.Equal(txn.Revision, read.Revision);
        Assert.Equal(txn.Revision, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task A_transaction_that_writes_one_key_twice_is_refused_and_changes_nothing()
    {
        var before = await Store.GetRevisionAsync();
        var ex = await Assert.ThrowsAsync<DatastoreException>(() => Store.TxnAsync(new TxnRequest
        {
            Then = [TxnOp.Put(P + "k", B("1")), TxnOp.Delete(P + "k")],
        }));
        Assert.Contains(P + "k", ex.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(P + "k"));
        Assert.Equal(before, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task A_watch_delivers_a_transaction_larger_than_its_page_whole()
    {
        var count = Math.Min(1500, Store.MaxTxnOps);
        var txn = await Store.TxnAsync(new TxnRequest
        {
            Then = Enumerable.Range(0, count).Select(i => TxnOp.Put($"{P}k{i:D4}", B("v"))).ToArray(),
        });
        var after = await Store.PutAsync(P + "zz", B("after"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<WatchEvent>();
        await foreach (var e in Store.WatchAsync(P, txn.Revision, cts.Token))
        {
            seen.Add(e);
            if (e.ModRevision == after)
            {
                break;
            }
        }

        Assert.Equal(count + 1, seen.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"{P}k{i:D4}").Append(P + "zz"), seen.Select(e => e.Key));
    }

    [Fact]
    public async Task A_list_at_any_revision_never_sees_part_of_a_transaction()
    {
        // Transfers between accounts, each one compare-and-swap transaction over two keys: the total is
        // the same at every revision only if no revision exposes a debit without its credit.
        const int Accounts = 6;
        const int Total = Accounts * 100;
        var setup = await Store.TxnAsync(new TxnRequest
        {
            Then = Enumerable.Range(0, Accounts).Select(i => TxnOp.Put($"{P}acct{i}", B("100"))).ToArray(),
        });

        var revisions = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            var rng = new Random(w);
            var done = 0;
            while (done < 25)
            {
                var from = rng.Next(Accounts);
                var to = (from + 1 + rng.Next(Accounts - 1)) % Accounts;
                var a = await Store.GetRequiredAsync($"{P}acct{from}");
                var b = await Store.GetRequiredAsync($"{P}acct{to}");
                var amount = rng.Next(1, 10);
                var r = await Store.TxnAsync(new TxnRequest
                {
                    If = [Compare.ModRevisionIs(a.Key, a.ModRevision), Compare.ModRevisionIs(b.Key, b.ModRevision)],
                    Then = [TxnOp.Put(a.Key, B((int.Parse(S(a.Value)) - amount).ToString())), TxnOp.Put(b.Key, B((int.Parse(S(b.Value)) + amount).ToString()))],
                });
                if (r.Succeeded)
                {
                    revisions.Add(r.Revision);
                    done++;
                }
            }
        }));

        var last = await Store.GetRevisionAsync();
        for (var rev = setup.Revision; rev <= last; rev++)
        {
            var state = await Store.ListAsync(P, new ListOptions { Revision = rev });
            Assert.Equal(Accounts, state.Items.Count);
            Assert.Equal(Total, state.Items.Sum(kv => int.Parse(S(kv.Value))));
        }

        // Each committed transfer is one revision, and every key's mod revision is one of them.
        Assert.Equal(100, revisions.Distinct().Count());
        var now = await Store.ListAsync(P);
        Assert.All(now.Items, kv => Assert.True(kv.ModRevision == setup.Revision || revisions.Contains(kv.ModRevision)));
    }

    [Fact]
    public async Task Syncer_caches_converge_on_the_store_under_concurrent_writes()
    {
        var consumer = new RecordingConsumer();
        var prefixes = new[] { P + "pools/", P + "nodes/" };
        await Store.PutAsync(prefixes[0] + "seed", B("seed"));
        await using var syncer = new DatastoreSyncer(Store, prefixes, consumer, new SyncerOptions { ListPageSize = 7 });
        syncer.Start();
        await syncer.WaitForInSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SyncStatus.InSync, syncer.Status);

        var rng = new Random(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            for (var i = 0; i < 40; i++)
            {
                var key = prefixes[i % 2] + "k" + rng.Next(15);
                if (i % 5 == 4)
                {
                    await Store.DeleteAsync(key);
                }
                else
                {
                    await Store.PutAsync(key, B($"w{w}-{i}"));
                }
            }
        }));

        await ConvergenceProbe.AssertConvergedAsync(Store, syncer, consumer, prefixes);
    }
}
