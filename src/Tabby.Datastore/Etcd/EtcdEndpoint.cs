using Etcdserverpb;
using Grpc.Net.Client;

namespace Tabby.Datastore.Etcd;

/// <summary>One etcd member's channel and the generated gRPC clients over it.</summary>
internal sealed class EtcdEndpoint : IDisposable
{
    public EtcdEndpoint(Uri url, int maxReceiveBytes, TimeSpan connectTimeout, Func<System.Net.Sockets.AddressFamily, System.Net.Sockets.Socket>? socketFactory = null)
    {
        Url = url;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,

            // etcd members are dialled directly; an HTTP proxy from the environment would only break h2c.
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,

            // Pings notice a member that vanished without closing the connection (watches would hang).
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (socketFactory is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var address = System.Net.IPAddress.Parse(context.DnsEndPoint.Host.Trim('[', ']'));
                var socket = socketFactory(address.AddressFamily);
                try
                {
                    socket.NoDelay = true;
                    await socket.ConnectAsync(new System.Net.IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        // Handing gRPC an HttpClient (not a handler) keeps it out of its subchannel state machine, which
        // after a failure refuses calls until a reconnect backoff expires; here every call dials afresh, so
        // a restarted member is usable at once and a dead one fails at once.
        Channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan },
            DisposeHttpClient = true,

            // Large ranges come back in one message; the 4 MB default truncates real clusters' lists.
            MaxReceiveMessageSize = maxReceiveBytes,
            MaxSendMessageSize = maxReceiveBytes,
        });
        Kv = new KV.KVClient(Channel);
        Watch = new Watch.WatchClient(Channel);
        Lease = new Lease.LeaseClient(Channel);
    }

    public Uri Url { get; }

    public GrpcChannel Channel { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public void Dispose() => Channel.Dispose();
}
