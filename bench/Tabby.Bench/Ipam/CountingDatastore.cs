using Tabby.Datastore;

namespace Tabby.Bench.Ipam;

/// <summary>Counts the round trips an IPAM client makes (gets, listings, transactions, revision reads), to see where an allocation's time goes.</summary>
internal sealed class CountingDatastore(IDatastore inner) : IDatastore, IRoundTrips
{
    private long _gets;
    private long _lists;
    private long _txns;
    private long _revisions;

    public long Gets => Interlocked.Read(ref _gets);

    public long Lists => Interlocked.Read(ref _lists);

    public long Txns => Interlocked.Read(ref _txns);

    public long Revisions => Interlocked.Read(ref _revisions);

    public string Endpoint => inner.Endpoint;

    public int MaxTxnOps => inner.MaxTxnOps;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(prefix, options, cancellationToken);
    }

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _txns);
        return inner.TxnAsync(request, cancellationToken);
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _revisions);
        return inner.GetRevisionAsync(cancellationToken);
    }

    public Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default) => inner.PutAsync(key, value, leaseId, cancellationToken);

    public Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(ttl, cancellationToken);

    public Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.KeepAliveLeaseAsync(leaseId, cancellationToken);

    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
