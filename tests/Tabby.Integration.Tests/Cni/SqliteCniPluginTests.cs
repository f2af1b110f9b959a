namespace Tabby.Integration.Tests.Cni;

/// <summary>The plugin suite against SQLite, each test with a database of its own.</summary>
public sealed class SqliteCniPluginTests : CniPluginTests
{
    protected override string Datastore => "sqlite:{dir}/tabby.db";
}
