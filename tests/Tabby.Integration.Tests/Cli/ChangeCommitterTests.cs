using System.Globalization;
using System.Text;
using Tabby.Api.Kinds;
using Tabby.Cli.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Tests.Txn;
using Tabby.Datastore.Resources;

namespace Tabby.Integration.Tests.Cli;

/// <summary>A write that loses a race or its datastore changes nothing and names the resources concerned; one whose undo fails says what may remain.</summary>
public sealed class ChangeCommitterTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tabby-cli-commit-{Guid.NewGuid():N}.db");
    private IDatastore _store = null!;

    public Task InitializeAsync()
    {
        _store = DatastoreConnectionString.Open("sqlite:" + _path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_key_written_after_planning_fails_the_whole_transaction_with_a_conflict()
    {
        var pools = KindRegistry.For<Tabby.Api.Resources.IPPool>();
        var a = new ResourceKey(pools, null, "pool-a");
        var b = new ResourceKey(pools, null, "pool-b");
        var planned = new[]
        {
            new PlannedChange(a, "created", null, TxnOp.Put(a.Path, Encoding.UTF8.GetBytes("{}")), "a.yaml"),
            new PlannedChange(b, "created", null, TxnOp.Put(b.Path, Encoding.UTF8.GetBytes("{}")), "b.yaml"),
        };
        // Someone else creates pool-b after the plan was made.
        await _store.PutAsync(b.Path, Encoding.UTF8.GetBytes("{\"theirs\":true}"));

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await ChangeCommitter.CommitAsync(new ResourceClient(_store), planned, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.Conflict, code);
        Assert.Equal("", output.ToString());
        Assert.Equal(
            ["b.yaml: IPPool pool-b: changed by someone else while this command ran; get it again and retry", "nothing was changed"],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(await _store.GetAsync(a.Path));
    }

    [Fact]
    public async Task A_split_write_that_fails_midway_says_what_it_undid_then_reports_the_failure()
    {
        var store = new ScriptedDatastore(_store, maxTxnOps: 2) { BeforeTxn = n => n == 1 ? throw ScriptedDatastore.Outage() : Task.CompletedTask };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        await Assert.ThrowsAsync<DatastoreUnavailableException>(
            () => ChangeCommitter.CommitAsync(new ResourceClient(store), Creates(5), output, error, CancellationToken.None));

        Assert.Equal("", output.ToString());
        Assert.Equal(
            ["nothing was changed: 2 of 5 changes had been written in 1 transaction (at most 2 changes fit in one) when the datastore failed and were undone"],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty((await _store.ListAllAsync(ResourceKey.Root)).Items);
    }

    [Fact]
    public async Task A_split_write_whose_undo_cannot_finish_names_what_may_remain_and_exits_6()
    {
        var changes = Creates(5);
        // The third transaction (pool-4) loses to another writer, and from then on the datastore is gone.
        var store = new ScriptedDatastore(_store, maxTxnOps: 2)
        {
            BeforeTxn = async n =>
            {
                if (n == 2)
                    await _store.PutAsync(changes[4].Key.Path, Encoding.UTF8.GetBytes("{\"theirs\":true}"));
                else if (n > 2)
                    throw ScriptedDatastore.Outage();
            },
        };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var code = await ChangeCommitter.CommitAsync(
            new ResourceClient(store), changes, output, error, CancellationToken.None, new AtomicBatchOptions { UndoRetryDelays = [] });

        Assert.Equal(ExitCodes.PartlyApplied, code);
        Assert.Equal(
            [
                "pools-4.yaml: IPPool pool-4: changed by someone else while this command ran; get it again and retry",
                "pools-3.yaml: IPPool pool-3: not undone; it may still hold this command's change",
                "pools-2.yaml: IPPool pool-2: not undone; it may still hold this command's change",
                "pools-1.yaml: IPPool pool-1: not undone; it may still hold this command's change",
                "pools-0.yaml: IPPool pool-0: not undone; it may still hold this command's change",
                "the undo failed: datastore scripted is unavailable: simulated outage",
                "partly applied: 4 of 5 changes may remain (listed above); check them with 'tabby get'",
            ],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(5, (await _store.ListAllAsync(ResourceKey.Root)).Items.Count);
    }

    private static List<PlannedChange> Creates(int count)
    {
        var pools = KindRegistry.For<Tabby.Api.Resources.IPPool>();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var key = new ResourceKey(pools, null, $"pool-{i}");
            return new PlannedChange(key, "created", null, TxnOp.Put(key.Path, Encoding.UTF8.GetBytes("{}")), $"pools-{i}.yaml");
        })];
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
