using System.Globalization;
using System.Text;
using Tabby.Api.Kinds;
using Tabby.Cli.Resources;
using Tabby.Datastore;

namespace Tabby.Integration.Tests.Cli;

/// <summary>A write that loses a race between planning and committing changes nothing and names the resource that moved.</summary>
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
            new PlannedChange(a, "created", 0, TxnOp.Put(a.Path, Encoding.UTF8.GetBytes("{}")), "a.yaml"),
            new PlannedChange(b, "created", 0, TxnOp.Put(b.Path, Encoding.UTF8.GetBytes("{}")), "b.yaml"),
        };
        // Someone else creates pool-b after the plan was made.
        await _store.PutAsync(b.Path, Encoding.UTF8.GetBytes("{\"theirs\":true}"));

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await ChangeCommitter.CommitAsync(new ResourceStore(_store), planned, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.Conflict, code);
        Assert.Equal("", output.ToString());
        Assert.Equal(
            ["b.yaml: IPPool pool-b: changed by someone else while this command ran; get it again and retry", "nothing was changed"],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(await _store.GetAsync(a.Path));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
