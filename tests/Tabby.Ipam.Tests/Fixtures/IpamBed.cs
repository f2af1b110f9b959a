using Microsoft.Extensions.Time.Testing;
using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Sqlite;
using Tabby.Ipam.Client;

namespace Tabby.Ipam.Tests.Fixtures;

/// <summary>A real SQLite datastore in a temporary directory, with helpers to create pools, nodes and reservations.</summary>
public sealed class IpamBed : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-ipam-").FullName;
    private readonly List<IDatastore> _stores = [];

    public IpamBed()
    {
        Store = Open();
        Resources = new ResourceClient(Store);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        Ipam = NewClient();
    }

    public IDatastore Store { get; }

    public ResourceClient Resources { get; }

    public FakeTimeProvider Time { get; }

    public IpamClient Ipam { get; }

    public string DatabasePath => Path.Combine(_dir, "tabby.db");

    /// <summary>Another client with its own connection to the same file, as another host's process would have.</summary>
    public IpamClient NewClient(bool ownConnection = false) =>
        new(ownConnection ? Open() : Store, new IpamOptions { Time = Time });

    public async Task<IPPool> PoolAsync(string name, string cidr, int blockSize = 0, Action<IPPoolSpec>? configure = null)
    {
        var pool = new IPPool { Metadata = { Name = name }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize } };
        configure?.Invoke(pool.Spec);
        return (IPPool)await Resources.CreateAsync(pool);
    }

    public async Task NodeAsync(string name, Dictionary<string, string>? labels = null) =>
        await Resources.CreateAsync(new Node { Metadata = { Name = name, Labels = labels } });

    public async Task ReservationAsync(string name, params string[] cidrs) =>
        await Resources.CreateAsync(new IPReservation { Metadata = { Name = name }, Spec = new IPReservationSpec { ReservedCidrs = [.. cidrs] } });

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private IDatastore Open()
    {
        var store = SqliteDatastore.Open(DatabasePath);
        _stores.Add(store);
        return store;
    }
}
