using System.Net;

namespace Tabby.Bgp.Session;

/// <summary>The byte stream under a BGP connection: a TCP socket in production, a scripted in-memory pipe in the state machine's tests.</summary>
internal interface IBgpTransport : IDisposable
{
    IPEndPoint Local { get; }
    IPEndPoint Remote { get; }

    /// <summary>Reads what has arrived into <paramref name="buffer"/>; 0 means the peer closed the stream.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Sends some of <paramref name="data"/>; returns how much was taken.</summary>
    ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel);

    /// <summary>Half-closes both directions, so the peer sees the end of the stream before the transport is disposed.</summary>
    void Shutdown();
}
