using System.Net.Sockets;

namespace Tabby.Datastore.Etcd;

/// <summary>Client settings for <see cref="EtcdDatastore"/>.</summary>
public sealed record EtcdOptions
{
    /// <summary>The deadline of each unary call; a member that hangs longer counts as unavailable.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for a TCP connection to a member.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The largest gRPC message accepted (large lists arrive as one message).</summary>
    public int MaxReceiveBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>The page size <see cref="EtcdDatastore.ListAsync"/> uses when the caller asks for everything.</summary>
    public int ListPageSize { get; init; } = 10_000;

    /// <summary>The server's <c>--max-txn-ops</c>: larger transactions are refused, so batches are split to fit (raise it only with the server's).</summary>
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>Makes the TCP sockets members are dialled on; null for ordinary ones.</summary>
    /// <remarks>An agent programming another network namespace dials its datastore from inside that namespace,
    /// as the host it stands for would: the factory creates the socket there, and it stays there.</remarks>
    public Func<AddressFamily, Socket>? SocketFactory { get; init; }
}
