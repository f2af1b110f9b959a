using Tabby.Datastore;

namespace Tabby.Ipam.Tests.Client;

/// <summary>A datastore that counts listings per prefix, to see what a client read again.</summary>
internal sealed class ListCountingStore(IDatastore inner) : IDatastore
{
    private readonly Dictionary<string, int> _lists = [];

    public int ListsUnder(string prefix)
    {
        lock (_lists)
            return _lists.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
    }

    public string Endpoint => inner.Endpoint;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_lists)
            _lists[prefix] = _lists.GetValueOrDefault(prefix) + 1;
        return inner.ListAsync(prefix, options, cancellationToken);
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

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
