using Tabby.Datastore;

namespace Tabby.Cni.Store;

/// <summary>A datastore for one command: opened here and closed on dispose, or lent by the caller and left open.</summary>
/// <remarks>tabby-ipam run inside the interface plugin's process uses the store the plugin already opened: one open, one
/// connection pool and one SQLite schema check per invocation instead of two.</remarks>
public sealed class DatastoreLease : IAsyncDisposable
{
    private readonly bool _owned;

    private DatastoreLease(IDatastore store, bool owned)
    {
        Store = store;
        _owned = owned;
    }

    public IDatastore Store { get; }

    /// <summary>The lent store, else <paramref name="connection"/> opened by <see cref="DatastoreOpener.Open"/>.</summary>
    public static DatastoreLease Of(IDatastore? lent, string connection, bool quick = false) =>
        lent is not null ? new DatastoreLease(lent, owned: false) : new DatastoreLease(DatastoreOpener.Open(connection, quick), owned: true);

    public ValueTask DisposeAsync() => _owned ? Store.DisposeAsync() : ValueTask.CompletedTask;
}
