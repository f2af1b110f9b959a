using System.Net;
using System.Net.Sockets;

namespace Tabby.Bgp.Session;

/// <summary>A TCP socket as a BGP transport.</summary>
internal sealed class SocketTransport : IBgpTransport
{
    private readonly Socket _socket;

    public SocketTransport(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        Local = Unmap((IPEndPoint)socket.LocalEndPoint!);
        Remote = Unmap((IPEndPoint)socket.RemoteEndPoint!);
    }

    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel) => _socket.ReceiveAsync(buffer, SocketFlags.None, cancel);

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => _socket.SendAsync(data, SocketFlags.None, cancel);

    public void Shutdown()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public void Dispose() => _socket.Dispose();

    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the session and the next hops want a.b.c.d.
    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
