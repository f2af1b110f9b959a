namespace Tabby.Datastore;

/// <summary>The common compare-and-swap shapes (create, replace at a revision, guarded delete) built on <see cref="IDatastore.TxnAsync"/>.</summary>
public static class DatastoreExtensions
{
    /// <summary>Reads a key that must exist.</summary>
    /// <exception cref="DatastoreNotFoundException">The key does not exist.</exception>
    public static async Task<KeyValue> GetRequiredAsync(this IDatastore store, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw DatastoreNotFoundException.ForKey(key);
    }

    /// <summary>Creates a key that must not exist yet.</summary>
    /// <exception cref="DatastoreConflictException">The key exists (carries its current revision).</exception>
    public static async Task<KeyValue> CreateAsync(this IDatastore store, string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = await store.TxnAsync(
            new TxnRequest { If = [Compare.Missing(key)], Then = [TxnOp.Put(key, value, leaseId)], Else = [TxnOp.Get(key)] },
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Results[0]! : throw new DatastoreConflictException(key, 0, result.Results[0]?.ModRevision ?? 0);
    }

    /// <summary>Replaces a key only if it is still at <paramref name="expectedModRevision"/> (a resourceVersion).</summary>
    /// <exception cref="DatastoreNotFoundException">The key does not exist.</exception>
    /// <exception cref="DatastoreConflictException">The key changed since (carries its current revision).</exception>
    public static async Task<KeyValue> UpdateAsync(this IDatastore store, string key, byte[] value, long expectedModRevision, long? leaseId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = await store.TxnAsync(
            new TxnRequest { If = [Compare.ModRevisionIs(key, expectedModRevision)], Then = [TxnOp.Put(key, value, leaseId)], Else = [TxnOp.Get(key)] },
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result.Results[0]!;
        }

        return result.Results[0] is { } current
            ? throw new DatastoreConflictException(key, expectedModRevision, current.ModRevision)
            : throw DatastoreNotFoundException.ForKey(key);
    }

    /// <summary>Deletes a key only if it is still at <paramref name="expectedModRevision"/>; returns its last state.</summary>
    /// <exception cref="DatastoreNotFoundException">The key does not exist.</exception>
    /// <exception cref="DatastoreConflictException">The key changed since.</exception>
    public static async Task<KeyValue> DeleteAsync(this IDatastore store, string key, long expectedModRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = await store.TxnAsync(
            new TxnRequest { If = [Compare.ModRevisionIs(key, expectedModRevision)], Then = [TxnOp.Delete(key)], Else = [TxnOp.Get(key)] },
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && result.Results[0] is { } deleted)
        {
            return deleted;
        }

        return result.Results[0] is { } current
            ? throw new DatastoreConflictException(key, expectedModRevision, current.ModRevision)
            : throw DatastoreNotFoundException.ForKey(key);
    }

    /// <summary>Lists every key under a prefix, page by page at one revision.</summary>
    public static Task<ListResult> ListAllAsync(this IDatastore store, string prefix, int pageSize = 1000, CancellationToken cancellationToken = default) =>
        ListAllAtAsync(store, prefix, 0, pageSize, cancellationToken);

    /// <summary>Lists every key under a prefix as of <paramref name="revision"/> (0: the latest), page by page.</summary>
    /// <remarks>Listing several prefixes at the revision the first listing returned reads them as one snapshot.</remarks>
    /// <exception cref="DatastoreCompactedException">That revision was compacted away.</exception>
    public static async Task<ListResult> ListAllAtAsync(this IDatastore store, string prefix, long revision, int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var items = new List<KeyValue>();
        string? next = null;
        do
        {
            var page = await store.ListAsync(prefix, new ListOptions { Revision = revision, Limit = pageSize, ContinueKey = next }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            revision = page.Revision;
            next = page.ContinueKey;
        }
        while (next is not null);

        return new ListResult(items, revision, null);
    }
}
