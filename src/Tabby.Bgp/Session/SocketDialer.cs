using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Config;

namespace Tabby.Bgp.Session;

/// <summary>Dials peers over TCP with the per-peer socket options (MD5, TTL, source address), on sockets from the speaker's factory.</summary>
internal static class SocketDialer
{
    public static BgpDialer Create(BgpSocketFactory sockets) => async (peer, cancel) =>
    {
        var socket = sockets(peer.Address.AddressFamily);
        try
        {
            SocketOptions.Apply(socket, peer);
            if (peer.LocalAddress is { } local)
                socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(new IPEndPoint(peer.Address, peer.Port), cancel).ConfigureAwait(false);
            return new SocketTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
