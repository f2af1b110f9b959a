namespace Tabby.Integration.Tests.Cli;

/// <summary>Every resource-command scenario against the embedded SQLite datastore, a fresh temporary file per test.</summary>
public sealed class SqliteResourceCommandTests : ResourceCommandTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tabby-cli-{Guid.NewGuid():N}.db");

    public SqliteResourceCommandTests() => Tabby = new TabbyRunner("sqlite:" + _path);

    protected override TabbyRunner Tabby { get; }

    public void Dispose() => DeleteSqlite(_path);
}
