using Tabby.Lab.Daemons;

namespace Tabby.Datastore.Tests.Etcd;

/// <summary>One real etcd per test class; it is killed by pid and its data dir deleted afterwards.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServerProcess? _server;

    /// <summary>The server (a missing etcd binary fails the test with the reason, it does not skip).</summary>
    public EtcdServerProcess Server => _server ?? throw new InvalidOperationException("etcd did not start");

    public async Task InitializeAsync() => _server = await EtcdServerProcess.StartAsync(TimeSpan.FromSeconds(20));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
