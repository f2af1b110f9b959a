using System.Diagnostics;
using Tabby.Datastore.Etcd;
using Tabby.Datastore.Tests.Conformance;

namespace Tabby.Datastore.Tests.Etcd;

/// <summary>The conformance suite against a real etcd server.</summary>
public sealed class EtcdConformanceTests(EtcdFixture etcd) : DatastoreConformanceTests, IClassFixture<EtcdFixture>
{
    protected override Task<IDatastore> CreateStoreAsync() =>
        Task.FromResult<IDatastore>(DatastoreConnectionString.Open("etcd:" + etcd.Server.ClientUrl));

    [Fact]
    public async Task An_unreachable_server_is_unavailable_quickly_with_the_url()
    {
        // A port nothing listens on: bind then release it.
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var url = $"http://127.0.0.1:{port}";
        await using var store = DatastoreConnectionString.Open($"etcd:{url}");
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.GetAsync("/x"));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.Contains(url, ex.Endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_everything_pages_internally_at_one_revision()
    {
        await using var store = EtcdDatastore.Connect([etcd.Server.ClientUrl], new EtcdOptions { ListPageSize = 5 });
        for (var i = 0; i < 23; i++)
        {
            await store.PutAsync($"{P}k{i:D2}", [(byte)i]);
        }

        var all = await store.ListAsync(P);
        Assert.Equal(23, all.Items.Count);
        Assert.Null(all.ContinueKey);
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"{P}k{i:D2}"), all.Items.Select(k => k.Key));
    }

    [Fact]
    public async Task A_dead_first_endpoint_fails_over_to_the_next()
    {
        await using var store = EtcdDatastore.Connect([new Uri("http://127.0.0.1:1"), etcd.Server.ClientUrl]);
        await store.PutAsync(P + "failover", [1]);
        Assert.NotNull(await store.GetAsync(P + "failover"));
    }
}
