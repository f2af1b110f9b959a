using Tabby.Integration.Tests.Cli;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>Every IPAM-command scenario against a real etcd (one server per class, emptied before each test).</summary>
public sealed class EtcdIpamCommandTests(CliEtcdFixture etcd) : IpamCommandTests, IClassFixture<CliEtcdFixture>, IAsyncLifetime
{
    protected override TabbyRunner Tabby { get; } = new(etcd.Datastore);

    public Task InitializeAsync() => etcd.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
