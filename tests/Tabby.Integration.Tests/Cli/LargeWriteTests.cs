using System.Globalization;
using System.Text;
using Tabby.Api.Serialization;
using Tabby.Cli.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Integration.Tests.Cli;

/// <summary>
/// An apply of 300 resources that loses a race in its last resources leaves nothing of itself behind:
/// on etcd (three transactions of at most 128, the first two undone) and on SQLite (one transaction).
/// </summary>
public sealed class LargeWriteTests(CliEtcdFixture etcd) : IClassFixture<CliEtcdFixture>, IAsyncLifetime
{
    private readonly string _sqlite = Path.Combine(Path.GetTempPath(), $"tabby-cli-large-{Guid.NewGuid():N}.db");

    public Task InitializeAsync() => etcd.WipeAsync();

    public Task DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_sqlite + suffix);
        return Task.CompletedTask;
    }

    [Fact]
    public Task On_etcd_a_300_resource_apply_losing_a_race_in_its_third_transaction_undoes_the_first_two() =>
        ApplyLosingARaceAsync(etcd.Datastore, "nothing was changed: 256 of 300 changes had been written in 2 transactions (at most 128 changes fit in one) and were undone");

    [Fact]
    public Task On_sqlite_a_300_resource_apply_is_one_transaction_that_a_race_fails_whole() =>
        ApplyLosingARaceAsync("sqlite:" + _sqlite, "nothing was changed");

    private static async Task ApplyLosingARaceAsync(string datastore, string summary)
    {
        var tabby = new TabbyRunner(datastore);
        // Ten of the 300 exist already, so the undo must restore values as well as delete new keys.
        await tabby.ExpectWithStdinAsync(ExitCodes.Ok, Sets(0, 10, "10.200"), "apply", "-f", "-");
        var before = Canonical((await tabby.ExpectAsync(ExitCodes.Ok, "get", "gns", "-o", "json")).Output);

        await using var store = DatastoreConnectionString.Open(datastore);
        var items = new ResourceReader().Read(Sets(0, 300, "10.100"), ManifestLoader.StdinSource).Resources
            .Select(r => new ResourceWrite(r, ManifestLoader.StdinSource)).ToList();
        var plan = await new ResourceClient(store).PlanAsync(WriteMode.Apply, items, skipExisting: false, CancellationToken.None);
        var (changes, failures) = (plan.Changes, plan.Failures);
        Assert.Empty(failures);
        Assert.Equal(300, changes.Count(c => c.Op is not null));

        // Between planning and committing someone else creates set-290, the 291st write.
        await tabby.ExpectWithStdinAsync(ExitCodes.Ok, Sets(290, 1, "10.250"), "create", "-f", "-");
        var theirs = Canonical((await tabby.ExpectAsync(ExitCodes.Ok, "get", "gns", "set-290", "-o", "json")).Output);

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await ChangeCommitter.CommitAsync(new ResourceClient(store), changes, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.Conflict, code);
        Assert.Equal("", output.ToString());
        Assert.Equal(
            ["<stdin>: GlobalNetworkSet set-290: changed by someone else while this command ran; get it again and retry", summary],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // What is stored is what was there before plus the other writer's set; an undone object keeps its uid and timestamps.
        var after = Canonical((await tabby.ExpectAsync(ExitCodes.Ok, "get", "gns", "-o", "json")).Output);
        Assert.Equal(before.Concat(theirs).Order(StringComparer.Ordinal), after);
    }

    private static string Sets(int first, int count, string net)
    {
        var text = new StringBuilder();
        for (var i = first; i < first + count; i++)
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: set-{i:D3}\nspec:\n  nets: [{net}.{i % 256}.0/24]\n---\n");
        return text.ToString();
    }

    /// <summary>Each resource as canonical JSON without resourceVersion (an undo writes the old value at a new revision).</summary>
    private static List<string> Canonical(string json)
    {
        var result = new ResourceReader().Read(json, "exported.json");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return [.. result.Resources.Select(r =>
        {
            r.Metadata.ResourceVersion = null;
            return ResourceWriter.ToCanonicalJson(r);
        }).Order(StringComparer.Ordinal)];
    }
}
