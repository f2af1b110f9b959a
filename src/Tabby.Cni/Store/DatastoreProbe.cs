using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Datastore;

namespace Tabby.Cni.Store;

/// <summary>STATUS's question: does the datastore answer a read, within a few seconds?</summary>
public static class DatastoreProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <exception cref="CniException">Code 50 (not available) saying why.</exception>
    public static async Task EnsureReachableAsync(string connection, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(s_timeout);
            await using var store = DatastoreOpener.Open(connection, quick: true);
            await store.GetRevisionAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DatastoreException or OperationCanceledException or IOException)
        {
            var reason = e is OperationCanceledException ? $"no answer within {s_timeout.TotalSeconds:F0} s" : ExceptionMapper.ToCni(e).Details ?? e.Message;
            throw new CniException(CniErrorCode.NotAvailable, $"the datastore {connection} is not reachable", reason);
        }
    }
}
