using Tabby.Datastore;

namespace Tabby.Integration.Tests.Cli;

/// <summary>Every resource-command scenario against the embedded SQLite datastore, a fresh temporary file per test.</summary>
public sealed class SqliteResourceCommandTests : ResourceCommandTests, IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tabby-cli-{Guid.NewGuid():N}.db");

    public SqliteResourceCommandTests() => Tabby = new TabbyRunner("sqlite:" + _path);

    protected override TabbyRunner Tabby { get; }

    /// <summary>Creates the empty database, as an empty etcd is there before the etcd scenarios (reading commands never create one).</summary>
    public async Task InitializeAsync()
    {
        await using var store = DatastoreConnectionString.Open("sqlite:" + _path);
    }

    public Task DisposeAsync()
    {
        DeleteSqlite(_path);
        return Task.CompletedTask;
    }
}
