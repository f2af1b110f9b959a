using Tabby.Datastore;

namespace Tabby.Ipam.Tests.Client;

/// <summary>A datastore that counts listings per prefix, to see what a client read again, and can change the store right after a revision read.</summary>
internal sealed class ListCountingStore(IDatastore inner) : IDatastore
{
    private readonly Dictionary<string, int> _lists = [];

    public int ListsUnder(string prefix)
    {
        lock (_lists)
            return _lists.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
    }

    private int _blockGets;

    /// <summary>Reads of single blocks so far.</summary>
    public int BlockGets => Volatile.Read(ref _blockGets);

    public string Endpoint => inner.Endpoint;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (key.StartsWith("/calico/ipam/v2/assignment/", StringComparison.Ordinal))
            Interlocked.Increment(ref _blockGets);
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_lists)
            _lists[prefix] = _lists.GetValueOrDefault(prefix) + 1;
        return inner.ListAsync(prefix, options, cancellationToken);
    }

    /// <summary>Runs once, right after the next revision read: to change the store under a client that just decided nothing changed.</summary>
    public Func<Task>? AfterNextRevision { get; set; }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        var revision = await inner.GetRevisionAsync(cancellationToken);
        if (AfterNextRevision is { } hook)
        {
            AfterNextRevision = null;
            await hook();
        }

        return revision;
    }

    public Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default) => inner.PutAsync(key, value, leaseId, cancellationToken);

    public Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) => inner.TxnAsync(request, cancellationToken);

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(ttl, cancellationToken);

    public Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.KeepAliveLeaseAsync(leaseId, cancellationToken);

    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
