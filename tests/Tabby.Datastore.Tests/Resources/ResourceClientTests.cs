using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Sqlite;
using Tabby.Datastore.Tests.Etcd;

namespace Tabby.Datastore.Tests.Resources;

/// <summary>The typed resource client on each backend: identity stamping, compare-and-swap by resourceVersion, list then watch.</summary>
public abstract class ResourceClientTests : IAsyncLifetime
{
    private IDatastore? _store;

    protected ResourceClient Client => new(_store ?? throw new InvalidOperationException("not initialised"));

    /// <summary>A name prefix no other test uses, so tests can share one etcd.</summary>
    protected string N { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected abstract Task<IDatastore> CreateStoreAsync();

    [Fact]
    public async Task Create_stamps_identity_and_a_second_create_conflicts()
    {
        var created = await Client.CreateAsync(Pool(N + "-a", "10.1.0.0/16"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.CreationTimestamp));
        var read = await Client.GetAsync<IPPool>(N + "-a");
        Assert.NotNull(read);
        Assert.Equal("10.1.0.0/16", read.Spec.Cidr);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        await Assert.ThrowsAsync<DatastoreConflictException>(() => Client.CreateAsync(Pool(N + "-a", "10.2.0.0/16")));
        Assert.Null(await Client.GetAsync<IPPool>(N + "-missing"));
    }

    [Fact]
    public async Task Update_and_delete_honour_resourceVersion()
    {
        var created = (IPPool)await Client.CreateAsync(Pool(N + "-b", "10.1.0.0/16"));
        var first = created.Metadata.ResourceVersion;

        var changed = Pool(N + "-b", "10.9.0.0/16");
        changed.Metadata.ResourceVersion = first;
        var updated = await Client.UpdateAsync(changed);
        Assert.NotEqual(first, updated.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);

        var stale = Pool(N + "-b", "10.3.0.0/16");
        stale.Metadata.ResourceVersion = first;
        await Assert.ThrowsAsync<DatastoreConflictException>(() => Client.UpdateAsync(stale));
        await Assert.ThrowsAsync<DatastoreNotFoundException>(() => Client.UpdateAsync(Pool(N + "-nope", "10.3.0.0/16")));

        var key = new ResourceKey(KindRegistry.For<IPPool>(), null, N + "-b");
        await Assert.ThrowsAsync<DatastoreConflictException>(() => Client.DeleteAsync(key, first));
        var last = (IPPool?)await Client.DeleteAsync(key, updated.Metadata.ResourceVersion);
        Assert.Equal("10.9.0.0/16", last!.Spec.Cidr);
        Assert.Null(await Client.DeleteAsync(key));
    }

    [Fact]
    public async Task A_watch_from_a_list_revision_sees_every_later_change_decoded()
    {
        await Client.CreateAsync(Pool(N + "-c", "10.1.0.0/16"));
        var list = await Client.ListAsync<IPPool>();
        Assert.Contains(list.Items, p => p.Metadata.Name == N + "-c");

        await Client.CreateAsync(Pool(N + "-d", "10.2.0.0/16"));
        await Client.DeleteAsync(new ResourceKey(KindRegistry.For<IPPool>(), null, N + "-c"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<ResourceEvent>();
        await foreach (var e in Client.WatchAsync(KindRegistry.For<IPPool>(), list.Revision + 1, cts.Token))
        {
            if (!e.Key.Name.StartsWith(N, StringComparison.Ordinal))
                continue;
            seen.Add(e);
            if (seen.Count == 2)
                break;
        }

        Assert.Equal([(ResourceEventKind.Put, N + "-d"), (ResourceEventKind.Delete, N + "-c")], seen.Select(e => (e.Kind, e.Key.Name)));
        Assert.Equal("10.2.0.0/16", ((IPPool)seen[0].Resource!).Spec.Cidr);
        Assert.Equal("10.1.0.0/16", ((IPPool)seen[1].Resource!).Spec.Cidr);
    }

    private static IPPool Pool(string name, string cidr) => new()
    {
        Metadata = { Name = name },
        Spec = new IPPoolSpec { Cidr = cidr, BlockSize = 26 },
    };
}

/// <summary>The resource client over SQLite.</summary>
public sealed class SqliteResourceClientTests : ResourceClientTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-rc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    protected override Task<IDatastore> CreateStoreAsync() => Task.FromResult<IDatastore>(SqliteDatastore.Open(Path.Combine(_dir, "t.db")));
}

/// <summary>The resource client over a real etcd.</summary>
public sealed class EtcdResourceClientTests(EtcdFixture etcd) : ResourceClientTests, IClassFixture<EtcdFixture>
{
    protected override Task<IDatastore> CreateStoreAsync() =>
        Task.FromResult<IDatastore>(DatastoreConnectionString.Open("etcd:" + etcd.Server.ClientUrl));
}
