using Tabby.Datastore;

namespace Tabby.Ipam.Tests.Check;

/// <summary>A datastore that runs a hook right after its first listing, to change the store under a reader that already chose its revision.</summary>
internal sealed class HookedStore(IDatastore inner) : IDatastore
{
    private int _lists;

    public Func<Task>? AfterFirstList { get; set; }

    public string Endpoint => inner.Endpoint;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public async Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.ListAsync(prefix, options, cancellationToken);
        if (Interlocked.Increment(ref _lists) == 1 && AfterFirstList is { } hook)
            await hook();
        return result;
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
