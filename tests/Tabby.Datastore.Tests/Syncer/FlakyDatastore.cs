using System.Runtime.CompilerServices;

namespace Tabby.Datastore.Tests.Syncer;

/// <summary>Wraps a store and can simulate an outage: calls fail and live watches break with Unavailable.</summary>
internal sealed class FlakyDatastore(IDatastore inner) : IDatastore
{
    private CancellationTokenSource _outage = new();
    private volatile bool _down;

    public string Endpoint => "flaky:" + inner.Endpoint;

    public int MaxTxnOps => inner.MaxTxnOps;

    public void GoDown()
    {
        _down = true;
        _outage.Cancel();
    }

    public void ComeBack()
    {
        _outage = new CancellationTokenSource();
        _down = false;
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => Check(() => inner.GetAsync(key, cancellationToken));

    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default) => Check(() => inner.ListAsync(prefix, options, cancellationToken));

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Check(() => inner.GetRevisionAsync(cancellationToken));

    public Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default) => Check(() => inner.PutAsync(key, value, leaseId, cancellationToken));

    public Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default) => Check(() => inner.DeleteAsync(key, cancellationToken));

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) => Check(() => inner.TxnAsync(request, cancellationToken));

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => Check(() => inner.GrantLeaseAsync(ttl, cancellationToken));

    public Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => Check(() => inner.KeepAliveLeaseAsync(leaseId, cancellationToken));

    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => Check(() => inner.RevokeLeaseAsync(leaseId, cancellationToken));

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => Check(() => inner.CompactAsync(revision, cancellationToken));

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        var outage = _outage.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, outage);
        var e = inner.WatchAsync(prefix, fromRevision, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await e.MoveNextAsync();
                }
                catch (OperationCanceledException) when (outage.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Unavailable();
                }

                if (!more)
                {
                    yield break;
                }

                yield return e.Current;
            }
        }
        finally
        {
            await e.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static DatastoreUnavailableException Unavailable() => new("flaky", new IOException("simulated outage"));

    private void ThrowIfDown()
    {
        if (_down)
        {
            throw Unavailable();
        }
    }

    private Task<T> Check<T>(Func<Task<T>> call) => _down ? Task.FromException<T>(Unavailable()) : call();

    private Task Check(Func<Task> call) => _down ? Task.FromException(Unavailable()) : call();
}
