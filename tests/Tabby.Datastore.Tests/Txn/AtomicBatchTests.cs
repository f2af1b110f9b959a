using Tabby.Datastore.Sqlite;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Txn;

/// <summary>
/// Batches larger than one transaction are all-or-nothing: a failed chunk undoes the committed ones without
/// overwriting anyone else's change, and an undo that cannot finish names what it left. A SQLite store with
/// a scripted limit of 4 stands in for etcd's 128 (see EtcdAtomicBatchTests for the real thing).
/// </summary>
/// <remarks>The 16 writes run in four chunks: [c000-c003] [c004-c007] [c008 c009 u000 u001] [u002 u003 d000 d001].</remarks>
public sealed class AtomicBatchTests : IAsyncLifetime
{
    private const string P = "/calico/resources/v3/projectcalico.org/globalnetworksets/";
    private static readonly AtomicBatchOptions s_quickRetries = new() { UndoRetryDelays = [TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)] };
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-batch-").FullName;
    private SqliteDatastore _sqlite = null!;
    private ScriptedDatastore _store = null!;
    private BatchScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _sqlite = SqliteDatastore.Open(Path.Combine(_dir, "batch.db"));
        _store = new ScriptedDatastore(_sqlite, maxTxnOps: 4);
        _scenario = new BatchScenario(_sqlite, P);
        await _scenario.SeedAsync(BatchScenario.Names("u", 4), "old");
        await _scenario.SeedAsync(BatchScenario.Names("d", 2), "doomed");
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sqlite_commits_a_batch_of_any_size_in_one_transaction()
    {
        var store = new ScriptedDatastore(_sqlite);
        var writes = await new BatchScenario(_sqlite, P).PlanAsync(BatchScenario.Names("c", 300), []);

        var result = await store.CommitBatchAsync(writes);

        Assert.Equal(int.MaxValue, _sqlite.MaxTxnOps);
        Assert.Equal(AtomicBatchOutcome.Committed, result.Outcome);
        Assert.Equal((1, 1, 300), (store.Calls, result.Transactions, result.Written));
        Assert.Equal(306, (await _scenario.SnapshotAsync()).Count);
    }

    [Fact]
    public async Task A_batch_that_fits_succeeds_conflicts_or_fails_as_its_one_transaction_would()
    {
        var writes = await _scenario.PlanAsync(BatchScenario.Names("c", 3), BatchScenario.Names("d", 1));
        var before = await _scenario.SnapshotAsync();
        await _sqlite.PutAsync(P + "c002", B("theirs"));
        before[P + "c002"] = "theirs";

        var conflict = await _store.CommitBatchAsync(writes);

        Assert.Equal(AtomicBatchOutcome.Conflict, conflict.Outcome);
        Assert.Equal([P + "c002"], conflict.ConflictingKeys);
        Assert.Equal((0, 0, 1), (conflict.Transactions, conflict.Written, _store.Calls));
        Assert.Equal(before, await _scenario.SnapshotAsync());

        // Nothing to undo after a failed single transaction: the failure is the transaction's own, thrown once.
        _store.BeforeTxn = _ => throw ScriptedDatastore.Outage();
        await Assert.ThrowsAsync<DatastoreUnavailableException>(() => _store.CommitBatchAsync(writes));
        Assert.Equal(2, _store.Calls);
    }

    [Fact]
    public async Task A_batch_past_the_limit_commits_in_order_in_chunks()
    {
        var writes = await PlanAsync();

        var result = await _store.CommitBatchAsync(writes);

        Assert.True(result.Succeeded);
        Assert.Equal((4, 4, 16), (_store.Calls, result.Transactions, result.Written));
        var after = await _scenario.SnapshotAsync();
        Assert.Equal(14, after.Count);
        Assert.All(after.Values, v => Assert.Equal("new", v));
        Assert.Equal(await _sqlite.GetRevisionAsync(), result.Revision);
    }

    [Fact]
    public async Task A_conflict_in_the_last_chunk_undoes_the_three_committed_ones()
    {
        var writes = await PlanAsync();
        var before = await _scenario.SnapshotAsync();
        // Another writer changes u003 after it was planned, before its chunk commits.
        _store.BeforeTxn = async n =>
        {
            if (n == 3)
            {
                await _sqlite.PutAsync(P + "u003", B("theirs"));
            }
        };

        var result = await _store.CommitBatchAsync(writes);

        Assert.Equal(AtomicBatchOutcome.Conflict, result.Outcome);
        Assert.Equal([P + "u003"], result.ConflictingKeys);
        Assert.Equal((3, 12), (result.Transactions, result.Written));
        Assert.Empty(result.KeptTheirs);
        Assert.Empty(result.NotRestored);
        before[P + "u003"] = "theirs";
        Assert.Equal(before, await _scenario.SnapshotAsync());
    }

    [Fact]
    public async Task The_undo_keeps_changes_others_made_after_the_batch_wrote()
    {
        var writes = await PlanAsync();
        var before = await _scenario.SnapshotAsync();
        _store.BeforeTxn = async n =>
        {
            if (n == 2)
            {
                // After chunk 0 committed: one of its keys is rewritten, another deleted (which is where the undo would leave it anyway).
                await _sqlite.PutAsync(P + "c001", B("theirs"));
                await _sqlite.DeleteAsync(P + "c002");
            }
            else if (n == 3)
            {
                await _sqlite.DeleteAsync(P + "d001");
            }
        };

        var result = await _store.CommitBatchAsync(writes);

        Assert.Equal(AtomicBatchOutcome.Conflict, result.Outcome);
        Assert.Equal([P + "d001"], result.ConflictingKeys);
        Assert.Equal([P + "c001"], result.KeptTheirs);
        Assert.Empty(result.NotRestored);
        before[P + "c001"] = "theirs";
        before.Remove(P + "d001");
        Assert.Equal(before, await _scenario.SnapshotAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_chunk_whose_call_fails_is_undone_too_wherever_it_landed(bool landed)
    {
        var writes = await PlanAsync();
        var before = await _scenario.SnapshotAsync();
        // Chunk 1 either commits and its reply is lost, or never reaches the store.
        Func<int, Task> outage = n => n == 1 ? throw ScriptedDatastore.Outage() : Task.CompletedTask;
        if (landed)
        {
            _store.AfterTxn = outage;
        }
        else
        {
            _store.BeforeTxn = outage;
        }

        var result = await _store.CommitBatchAsync(writes);

        Assert.Equal(AtomicBatchOutcome.Failed, result.Outcome);
        Assert.IsType<DatastoreUnavailableException>(result.Error);
        Assert.Equal(1, result.Transactions);
        Assert.Equal(landed ? 8 : 4, result.Written);
        Assert.Empty(result.NotRestored);
        Assert.Empty(result.KeptTheirs);
        Assert.Equal(before, await _scenario.SnapshotAsync());
    }

    [Fact]
    public async Task Cancelling_between_chunks_still_undoes_what_was_written()
    {
        var writes = await PlanAsync();
        var before = await _scenario.SnapshotAsync();
        using var cts = new CancellationTokenSource();
        _store.AfterTxn = n => n == 1 ? cts.CancelAsync() : Task.CompletedTask;

        var result = await _store.CommitBatchAsync(writes, cancellationToken: cts.Token);

        Assert.Equal(AtomicBatchOutcome.Failed, result.Outcome);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error);
        Assert.Equal((2, 8), (result.Transactions, result.Written));
        Assert.Equal(before, await _scenario.SnapshotAsync());
    }

    [Fact]
    public async Task An_undo_whose_reply_was_lost_is_recognised_as_done_on_retry()
    {
        var writes = await PlanAsync();
        var before = await _scenario.SnapshotAsync();
        _store.BeforeTxn = async n =>
        {
            if (n == 2)
            {
                await _sqlite.PutAsync(P + "c009", B("theirs"));
            }
        };
        // Transaction 3 is the first undo (chunk 1): it commits, then its reply is lost.
        _store.AfterTxn = n => n == 3 ? throw ScriptedDatastore.Outage() : Task.CompletedTask;

        var result = await _store.CommitBatchAsync(writes, s_quickRetries);

        Assert.Equal(AtomicBatchOutcome.Conflict, result.Outcome);
        Assert.Empty(result.KeptTheirs);
        Assert.Empty(result.NotRestored);
        Assert.Null(result.UndoError);
        before[P + "c009"] = "theirs";
        Assert.Equal(before, await _scenario.SnapshotAsync());
    }

    [Fact]
    public async Task An_undo_that_cannot_finish_names_the_keys_left_changed()
    {
        var writes = await PlanAsync();
        _store.BeforeTxn = async n =>
        {
            if (n == 2)
            {
                await _sqlite.PutAsync(P + "c008", B("theirs"));
            }
            else if (n > 2)
            {
                throw ScriptedDatastore.Outage();
            }
        };

        var result = await _store.CommitBatchAsync(writes, s_quickRetries);

        Assert.Equal(AtomicBatchOutcome.Conflict, result.Outcome);
        Assert.Equal([P + "c008"], result.ConflictingKeys);
        // The undo starts with the last chunk written; one attempt and two retries, then it gives up.
        Assert.Equal(BatchScenario.Names("c", 8).Reverse().Select(n => P + n), result.NotRestored);
        Assert.IsType<DatastoreUnavailableException>(result.UndoError);
        Assert.Equal(3 + 3, _store.Calls);
        foreach (var key in result.NotRestored)
        {
            Assert.Equal("new", S((await _sqlite.GetAsync(key))?.Value));
        }
    }

    [Fact]
    public async Task A_batch_that_writes_a_key_twice_or_reads_is_refused_before_anything_is_written()
    {
        var put = new GuardedWrite(TxnOp.Put(P + "x", B("1")), null);

        await Assert.ThrowsAsync<ArgumentException>(() => _store.CommitBatchAsync([put, put with { Op = TxnOp.Delete(P + "x") }]));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CommitBatchAsync([new GuardedWrite(TxnOp.Get(P + "x"), null)]));
        Assert.Equal(0, _store.Calls);
    }

    private Task<List<GuardedWrite>> PlanAsync() =>
        _scenario.PlanAsync([.. BatchScenario.Names("c", 10), .. BatchScenario.Names("u", 4)], BatchScenario.Names("d", 2));
}
