using System.Runtime.CompilerServices;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Tabby.Datastore.Etcd;

/// <summary>The cluster datastore: etcd v3 over gRPC, using dotnet-etcd's generated KV, Watch and Lease clients.</summary>
/// <remarks>
/// Calls go to one member; when it is unreachable the next member is tried, and when none answers the
/// call fails with <see cref="DatastoreUnavailableException"/> naming every URL. Nothing here retries
/// behind the caller's back beyond that failover: the syncer owns retry policy.
/// </remarks>
public sealed class EtcdDatastore : IDatastore
{
    private readonly EtcdEndpoint[] _endpoints;
    private readonly EtcdOptions _options;
    private int _current;

    private EtcdDatastore(IReadOnlyList<Uri> urls, EtcdOptions options)
    {
        _options = options;
        _endpoints = [.. urls.Select(u => new EtcdEndpoint(u, options.MaxReceiveBytes, options.ConnectTimeout, options.SocketFactory))];
        Endpoint = "etcd:" + string.Join(",", urls.Select(u => u.ToString().TrimEnd('/')));
    }

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <inheritdoc />
    public int MaxTxnOps => _options.MaxTxnOps;

    /// <summary>Creates a client for the members at <paramref name="urls"/> (no connection is made until the first call).</summary>
    public static EtcdDatastore Connect(IReadOnlyList<Uri> urls, EtcdOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (urls.Count == 0)
        {
            throw new ArgumentException("at least one etcd URL is needed", nameof(urls));
        }

        return new EtcdDatastore(urls, options ?? new EtcdOptions());
    }

    /// <inheritdoc />
    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync((e, o) => e.Kv.RangeAsync(new RangeRequest { Key = Bytes(key) }, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : ToKeyValue(response.Kvs[0]);
    }

    /// <inheritdoc />
    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            (e, o) => e.Kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFrom(0), CountOnly = true }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Header.Revision;
    }

    /// <inheritdoc />
    public async Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var start = options.ContinueKey is { } c && string.CompareOrdinal(c, prefix) > 0 ? c : prefix;
        var end = KeyRange.PrefixEnd(Encoding.UTF8.GetBytes(prefix));
        var at = options.Revision;
        var items = new List<KeyValue>();
        while (true)
        {
            // Asked for everything: fetch in pages at one revision so no single message grows without bound.
            var want = options.Limit > 0 ? options.Limit - items.Count : _options.ListPageSize;
            var request = new RangeRequest
            {
                Key = Bytes(start),
                RangeEnd = end is null ? ByteString.CopyFrom(0) : ByteString.CopyFrom(end),
                Limit = want,
                Revision = at,
            };
            var response = await CallAsync((e, o) => e.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken, at).ConfigureAwait(false);
            if (at == 0)
            {
                at = response.Header.Revision;
            }

            foreach (var kv in response.Kvs)
            {
                items.Add(ToKeyValue(kv));
            }

            if (!response.More || response.Kvs.Count == 0)
            {
                return new ListResult(items, at, null);
            }

            start = items[^1].Key + "\0";
            if (options.Limit > 0)
            {
                return new ListResult(items, at, start);
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default)
    {
        var request = new PutRequest { Key = Bytes(key), Value = ByteString.CopyFrom(value), Lease = leaseId ?? 0 };
        var response = await CallAsync((e, o) => e.Kv.PutAsync(request, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Header.Revision;
    }

    /// <inheritdoc />
    public async Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new DeleteRangeRequest { Key = Bytes(key), PrevKv = true };
        var response = await CallAsync((e, o) => e.Kv.DeleteRangeAsync(request, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.PrevKvs.Count == 0 ? null : ToKeyValue(response.PrevKvs[0]);
    }

    /// <inheritdoc />
    public async Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ThrowIfDuplicateWrites();
        var txn = new Etcdserverpb.TxnRequest();
        txn.Compare.AddRange(request.If.Select(ToCompare));
        txn.Success.AddRange(request.Then.Select(ToRequestOp));
        txn.Failure.AddRange(request.Else.Select(ToRequestOp));
        var response = await CallAsync((e, o) => e.Kv.TxnAsync(txn, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        var ops = response.Succeeded ? request.Then : request.Else;
        var revision = response.Header.Revision;
        var results = new List<KeyValue?>(ops.Count);
        for (var i = 0; i < ops.Count; i++)
        {
            var r = response.Responses[i];
            results.Add(ops[i].Kind switch
            {
                TxnOpKind.Put => new KeyValue(
                    ops[i].Key,
                    ops[i].Value ?? [],
                    revision,
                    r.ResponsePut.PrevKv is { } p ? p.CreateRevision : revision,
                    (r.ResponsePut.PrevKv?.Version ?? 0) + 1,
                    ops[i].LeaseId is { } l && l != 0 ? l : null),
                TxnOpKind.Delete => r.ResponseDeleteRange.PrevKvs.Count == 0 ? null : ToKeyValue(r.ResponseDeleteRange.PrevKvs[0]),
                _ => r.ResponseRange.Kvs.Count == 0 ? null : ToKeyValue(r.ResponseRange.Kvs[0]),
            });
        }

        return new TxnResult(response.Succeeded, revision, results);
    }

    /// <inheritdoc />
    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        // etcd counts TTLs in whole seconds (and raises very short ones to its minimum, about 2 s).
        var request = new LeaseGrantRequest { TTL = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds)) };
        var response = await CallAsync((e, o) => e.Lease.LeaseGrantAsync(request, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.ID;
    }

    /// <inheritdoc />
    public async Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            async (e, o) =>
            {
                // One round trip on the keep-alive stream renews the lease once.
                using var call = e.Lease.LeaseKeepAlive(o);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, o.CancellationToken).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                return await call.ResponseStream.MoveNext(o.CancellationToken).ConfigureAwait(false)
                    ? call.ResponseStream.Current
                    : new LeaseKeepAliveResponse { ID = leaseId, TTL = 0 };
            },
            cancellationToken).ConfigureAwait(false);
        return response.TTL > 0 ? TimeSpan.FromSeconds(response.TTL) : throw DatastoreNotFoundException.ForLease(leaseId);
    }

    /// <inheritdoc />
    public async Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync((e, o) => e.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreNotFoundException)
        {
            // Already expired or revoked: the caller's goal (no lease, no keys) holds.
        }
    }

    /// <inheritdoc />
    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync((e, o) => e.Kv.CompactAsync(new CompactionRequest { Revision = revision }, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreCompactedException)
        {
            // Compacting to a revision that is already compacted leaves the store as asked.
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var end = KeyRange.PrefixEnd(prefixBytes);
        var create = new WatchCreateRequest
        {
            Key = ByteString.CopyFrom(prefixBytes),
            RangeEnd = end is null ? ByteString.CopyFrom(0) : ByteString.CopyFrom(end),
            StartRevision = Math.Max(0, fromRevision),
            PrevKv = true,
        };
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (call, createdAt) = await OpenWatchAsync(create, linked.Token).ConfigureAwait(false);
        using var owned = call;
        var next = create.StartRevision > 0 ? create.StartRevision : createdAt + 1;
        try
        {
            while (true)
            {
                var response = await ReadWatchAsync(call, next, linked.Token).ConfigureAwait(false);
                foreach (var ev in response.Events)
                {
                    next = ev.Kv.ModRevision + 1;
                    yield return ev.Type == Event.Types.EventType.Put
                        ? new WatchEvent(WatchEventKind.Put, ev.Kv.Key.ToStringUtf8(), ev.Kv.Value.ToByteArray(), ev.Kv.ModRevision, ev.Kv.CreateRevision, ev.PrevKv?.Value.ToByteArray())
                        : new WatchEvent(WatchEventKind.Delete, ev.Kv.Key.ToStringUtf8(), null, ev.Kv.ModRevision, 0, ev.PrevKv?.Value.ToByteArray());
                }
            }
        }
        finally
        {
            // Ends the stream on the server too when the caller stops enumerating.
            await linked.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (var e in _endpoints)
        {
            e.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static ByteString Bytes(string s) => ByteString.CopyFromUtf8(s);

    private static KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.ModRevision, kv.CreateRevision, kv.Version, kv.Lease == 0 ? null : kv.Lease);

    private static Etcdserverpb.Compare ToCompare(Compare c)
    {
        var result = new Etcdserverpb.Compare
        {
            Key = Bytes(c.Key),
            Result = c.Op switch
            {
                CompareOp.Equal => Etcdserverpb.Compare.Types.CompareResult.Equal,
                CompareOp.NotEqual => Etcdserverpb.Compare.Types.CompareResult.NotEqual,
                CompareOp.Greater => Etcdserverpb.Compare.Types.CompareResult.Greater,
                _ => Etcdserverpb.Compare.Types.CompareResult.Less,
            },
        };
        switch (c.Target)
        {
            case CompareTarget.ModRevision:
                result.Target = Etcdserverpb.Compare.Types.CompareTarget.Mod;
                result.ModRevision = c.Number;
                break;
            case CompareTarget.CreateRevision:
                result.Target = Etcdserverpb.Compare.Types.CompareTarget.Create;
                result.CreateRevision = c.Number;
                break;
            case CompareTarget.Version:
                result.Target = Etcdserverpb.Compare.Types.CompareTarget.Version;
                result.Version = c.Number;
                break;
            default:
                result.Target = Etcdserverpb.Compare.Types.CompareTarget.Value;
                result.Value = ByteString.CopyFrom(c.Value ?? []);
                break;
        }

        return result;
    }

    private static RequestOp ToRequestOp(TxnOp op) => op.Kind switch
    {
        TxnOpKind.Put => new RequestOp { RequestPut = new PutRequest { Key = Bytes(op.Key), Value = ByteString.CopyFrom(op.Value ?? []), Lease = op.LeaseId ?? 0, PrevKv = true } },
        TxnOpKind.Delete => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes(op.Key), PrevKv = true } },
        _ => new RequestOp { RequestRange = new RangeRequest { Key = Bytes(op.Key) } },
    };

    private static bool IsUnreachable(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded;

    /// <summary>Maps etcd's gRPC errors to the datastore's typed errors.</summary>
    private DatastoreException Translate(RpcException e, long revision, string endpoint)
    {
        var detail = e.Status.Detail ?? "";
        if (detail.Contains("compacted", StringComparison.Ordinal))
        {
            return new DatastoreCompactedException(revision, 0);
        }

        if (detail.Contains("lease not found", StringComparison.Ordinal))
        {
            return new DatastoreNotFoundException(detail, e);
        }

        if (IsUnreachable(e))
        {
            return new DatastoreUnavailableException(endpoint, e);
        }

        return new DatastoreException($"etcd {endpoint}: {e.StatusCode}: {detail}", e);
    }

    /// <summary>Runs a call on the current member, failing over to the others while they are unreachable.</summary>
    private async Task<T> CallAsync<T>(Func<EtcdEndpoint, CallOptions, Task<T>> call, CancellationToken cancellationToken, long revision = 0)
    {
        RpcException? last = null;
        var first = Volatile.Read(ref _current);
        for (var i = 0; i < _endpoints.Length; i++)
        {
            var index = (first + i) % _endpoints.Length;
            var endpoint = _endpoints[index];
            var options = new CallOptions(deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);
            try
            {
                var result = await call(endpoint, options).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (IsUnreachable(e))
            {
                last = e;
            }
            catch (RpcException e)
            {
                throw Translate(e, revision, endpoint.Url.ToString());
            }
        }

        throw new DatastoreUnavailableException(string.Join(",", _endpoints.Select(e => e.Url.ToString().TrimEnd('/'))), last);
    }

    private async Task<(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> Call, long Revision)> OpenWatchAsync(WatchCreateRequest create, CancellationToken cancellationToken)
    {
        var call = await CallAsync(
            async (e, _) =>
            {
                // Streams have no deadline; the connection's keep-alive pings detect a dead member instead.
                var c = e.Watch.Watch(new CallOptions(cancellationToken: cancellationToken));
                try
                {
                    await c.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false);
                    if (!await c.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                    {
                        throw new RpcException(new Status(StatusCode.Unavailable, "watch stream closed before it was created"));
                    }

                    return (c, c.ResponseStream.Current, e.Url.ToString());
                }
                catch
                {
                    c.Dispose();
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);

        var (stream, created, _) = call;
        CheckWatchResponse(created, create.StartRevision);
        if (created.Events.Count > 0)
        {
            stream.Dispose();
            throw new DatastoreException("etcd sent events before confirming the watch");
        }

        return (stream, created.Header?.Revision ?? 0);
    }

    private async Task<WatchResponse> ReadWatchAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, long next, CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e)
        {
            throw Translate(e, next, Endpoint);
        }

        if (!more)
        {
            throw new DatastoreUnavailableException(Endpoint, new IOException("etcd closed the watch stream"));
        }

        var response = call.ResponseStream.Current;
        CheckWatchResponse(response, next);
        return response;
    }

    private static void CheckWatchResponse(WatchResponse response, long next)
    {
        // etcd cancels a watch whose start revision was compacted and says where history now begins.
        if (response.CompactRevision != 0)
        {
            throw new DatastoreCompactedException(next, response.CompactRevision);
        }

        if (response.Canceled)
        {
            throw new DatastoreException($"etcd cancelled the watch: {response.CancelReason}");
        }
    }
}
