namespace Tabby.Datastore;

/// <summary>A revisioned key-value store with transactions, leases and watches (etcd v3's model).</summary>
/// <remarks>
/// Keys are strings compared by their UTF-8 bytes; values are bytes (UTF-8 JSON by convention).
/// Every change gets a store-wide revision that only grows. Failures are typed:
/// <see cref="DatastoreNotFoundException"/>, <see cref="DatastoreConflictException"/>,
/// <see cref="DatastoreCompactedException"/> and <see cref="DatastoreUnavailableException"/>.
/// </remarks>
public interface IDatastore : IAsyncDisposable
{
    /// <summary>Where the store lives, e.g. <c>sqlite:/var/lib/tabby/tabby.db</c> or <c>etcd:http://10.0.0.1:2379</c>.</summary>
    string Endpoint { get; }

    /// <summary>The most operations one transaction may carry in each of its compare, then and else lists.</summary>
    /// <remarks>etcd refuses larger transactions (its <c>--max-txn-ops</c>, 128 by default); SQLite has no limit.
    /// <see cref="AtomicBatch.CommitBatchAsync"/> splits larger batches and keeps them all-or-nothing.</remarks>
    int MaxTxnOps => int.MaxValue;

    /// <summary>Reads one key; null when it does not exist.</summary>
    Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of the keys under <paramref name="prefix"/>.</summary>
    /// <exception cref="DatastoreCompactedException">The requested revision was compacted away.</exception>
    Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The current store revision.</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes a key unconditionally and returns the revision of the write.</summary>
    /// <exception cref="DatastoreNotFoundException">The lease does not exist.</exception>
    Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key unconditionally; returns the deleted key's last state, or null if it did not exist.</summary>
    Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Runs a compare-and-swap transaction atomically.</summary>
    /// <remarks>A failed comparison is not an error: the else branch runs and <see cref="TxnResult.Succeeded"/> is false.</remarks>
    Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default);

    /// <summary>Grants a lease; keys attached to it vanish when it expires or is revoked.</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Renews a lease and returns its TTL.</summary>
    /// <exception cref="DatastoreNotFoundException">The lease expired or never existed.</exception>
    Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a lease, deleting every key attached to it. Revoking a missing lease is not an error.</summary>
    Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Streams the changes under <paramref name="prefix"/> with revision &gt;= <paramref name="fromRevision"/>, in revision order.</summary>
    /// <remarks>A <paramref name="fromRevision"/> of 0 or less means "changes from now on". The enumeration ends only by cancellation or an exception.</remarks>
    /// <exception cref="DatastoreCompactedException">The history from that revision is gone; re-list and watch from the list's revision + 1.</exception>
    /// <exception cref="DatastoreUnavailableException">The store went away mid-stream.</exception>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default);

    /// <summary>Discards history before <paramref name="revision"/>; watches and lists below it then fail with Compacted.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);
}
