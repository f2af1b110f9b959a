using Tabby.Datastore.Tests.Txn;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Etcd;

/// <summary>Against a real etcd with its default --max-txn-ops of 128: batches past it are split, and a late failure leaves nothing.</summary>
public sealed class EtcdAtomicBatchTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>, IAsyncLifetime
{
    private readonly string _prefix = "/calico/resources/v3/projectcalico.org/globalnetworksets/" + Guid.NewGuid().ToString("N")[..8] + "-";
    private IDatastore _etcd = null!;

    public Task InitializeAsync()
    {
        _etcd = DatastoreConnectionString.Open("etcd:" + etcd.Server.ClientUrl);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

    [Fact]
    public async Task Etcd_refuses_a_transaction_past_its_limit_which_is_why_batches_split()
    {
        Assert.Equal(128, _etcd.MaxTxnOps);
        var ops = Enumerable.Range(0, 129).Select(i => TxnOp.Put($"{_prefix}big{i:D3}", B("v"))).ToList();

        await Assert.ThrowsAnyAsync<DatastoreException>(() => _etcd.TxnAsync(new TxnRequest { Then = ops }));
        Assert.Empty((await _etcd.ListAllAsync(_prefix)).Items);
    }

    [Fact]
    public async Task A_batch_of_128_is_one_transaction_and_300_are_three()
    {
        var store = new ScriptedDatastore(_etcd);
        var scenario = new BatchScenario(_etcd, _prefix);

        var fits = await store.CommitBatchAsync(await scenario.PlanAsync(BatchScenario.Names("a", 128), []));
        Assert.Equal((AtomicBatchOutcome.Committed, 1, 1), (fits.Outcome, fits.Transactions, store.Calls));

        var split = await store.CommitBatchAsync(await scenario.PlanAsync(BatchScenario.Names("b", 300), []));
        Assert.Equal((AtomicBatchOutcome.Committed, 3, 300), (split.Outcome, split.Transactions, split.Written));
        Assert.Equal(428, (await scenario.SnapshotAsync()).Count);
    }

    [Fact]
    public async Task Three_hundred_writes_with_a_conflict_in_the_last_chunk_leave_nothing_behind()
    {
        var store = new ScriptedDatastore(_etcd);
        var scenario = new BatchScenario(_etcd, _prefix);
        // 270 creates, 20 updates and 10 deletes: the undo has to delete, restore and recreate.
        await scenario.SeedAsync(BatchScenario.Names("u", 20), "old");
        await scenario.SeedAsync(BatchScenario.Names("d", 10), "doomed");
        var writes = await scenario.PlanAsync([.. BatchScenario.Names("c", 270), .. BatchScenario.Names("u", 20)], BatchScenario.Names("d", 10));
        var before = await scenario.SnapshotAsync();
        // Write 290 (d000) sits in the third transaction; someone else changes it after planning.
        var late = writes[290].Key;
        Assert.Equal(scenario.Key("d000"), late);
        await _etcd.PutAsync(late, B("theirs"));

        var result = await store.CommitBatchAsync(writes);

        Assert.Equal(AtomicBatchOutcome.Conflict, result.Outcome);
        Assert.Equal([late], result.ConflictingKeys);
        Assert.Equal((2, 256), (result.Transactions, result.Written));
        Assert.Empty(result.KeptTheirs);
        Assert.Empty(result.NotRestored);
        // Three commit attempts, then the 256 committed writes undone in two transactions.
        Assert.Equal(5, store.Calls);
        before[late] = "theirs";
        Assert.Equal(before, await scenario.SnapshotAsync());
    }
}
