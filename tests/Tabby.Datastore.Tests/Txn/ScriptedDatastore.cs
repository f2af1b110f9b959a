namespace Tabby.Datastore.Tests.Txn;

/// <summary>Forwards to a real store, counts transactions and runs a test's script around each one (concurrent writers, lost replies, outages).</summary>
internal sealed class ScriptedDatastore(IDatastore inner, int? maxTxnOps = null) : IDatastore
{
    private int _calls;

    public IDatastore Inner => inner;

    /// <summary>How many times <see cref="TxnAsync"/> was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Runs before the n-th transaction (from 0) reaches the store; throwing means it never did.</summary>
    public Func<int, Task>? BeforeTxn { get; set; }

    /// <summary>Runs after the n-th transaction committed or failed its guards; throwing is a reply lost after the fact.</summary>
    public Func<int, Task>? AfterTxn { get; set; }

    public string Endpoint => "scripted:" + inner.Endpoint;

    public int MaxTxnOps => maxTxnOps ?? inner.MaxTxnOps;

    public async Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _calls) - 1;
        if (BeforeTxn is { } before)
        {
            await before(n);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = await inner.TxnAsync(request, cancellationToken);
        if (AfterTxn is { } after)
        {
            await after(n);
        }

        return result;
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, options, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default) => inner.PutAsync(key, value, leaseId, cancellationToken);

    public Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(ttl, cancellationToken);

    public Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.KeepAliveLeaseAsync(leaseId, cancellationToken);

    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>What an outage looks like to callers.</summary>
    public static DatastoreUnavailableException Outage() => new("scripted", new IOException("simulated outage"));
}
