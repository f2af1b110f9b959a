using Tabby.Datastore;
using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Cli;

/// <summary>One real etcd for the CLI's etcd tests; killed by pid and its data dir deleted afterwards.</summary>
public sealed class CliEtcdFixture : IAsyncLifetime
{
    private EtcdServerProcess? _server;

    public EtcdServerProcess Server => _server ?? throw new InvalidOperationException("etcd did not start");

    public string Datastore => "etcd:" + Server.ClientUrl.ToString().TrimEnd('/');

    public async Task InitializeAsync() => _server = await EtcdServerProcess.StartAsync(TimeSpan.FromSeconds(20));

    /// <summary>Deletes every Calico key so each test starts from an empty store.</summary>
    public async Task WipeAsync()
    {
        await using var store = DatastoreConnectionString.Open(Datastore);
        var all = await store.ListAllAsync("/calico/");
        foreach (var kv in all.Items)
            await store.DeleteAsync(kv.Key);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
