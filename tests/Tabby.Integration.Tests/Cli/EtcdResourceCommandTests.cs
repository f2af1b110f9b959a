namespace Tabby.Integration.Tests.Cli;

/// <summary>Every resource-command scenario against a real etcd (one server per class, emptied before each test).</summary>
public sealed class EtcdResourceCommandTests(CliEtcdFixture etcd) : ResourceCommandTests, IClassFixture<CliEtcdFixture>, IAsyncLifetime
{
    protected override TabbyRunner Tabby { get; } = new(etcd.Datastore);

    public Task InitializeAsync() => etcd.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
