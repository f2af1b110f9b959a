using Tabby.Datastore;
using Tabby.Integration.Tests.Cli;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>Every IPAM-command scenario against the embedded SQLite datastore, a fresh temporary file per test.</summary>
public sealed class SqliteIpamCommandTests : IpamCommandTests, IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tabby-ipam-cli-{Guid.NewGuid():N}.db");

    public SqliteIpamCommandTests() => Tabby = new TabbyRunner("sqlite:" + _path);

    protected override TabbyRunner Tabby { get; }

    public async Task InitializeAsync()
    {
        await using var store = DatastoreConnectionString.Open("sqlite:" + _path);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
        return Task.CompletedTask;
    }
}
