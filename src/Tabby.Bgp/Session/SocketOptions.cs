using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Tabby.Bgp.Config;

namespace Tabby.Bgp.Session;

/// <summary>Per-peer socket options: TCP MD5 signatures (RFC 2385) and the IP TTL for single- or multihop sessions.</summary>
public static class SocketOptions
{
    private const int IpProtoTcp = 6;
    private const int TcpMd5Sig = 14;
    private const int MaxKeyLength = 80;

    public static void Apply(Socket socket, BgpPeerConfig peer)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Password is { } password)
            SetMd5(socket, peer.Address, password);
        if (peer.Ttl is { } ttl)
            socket.Ttl = (short)ttl;
    }

    /// <summary>Installs (or with an empty key, removes) the MD5 key for one remote address; on a listener it covers that peer's inbound connections.</summary>
    public static void SetMd5(Socket socket, IPAddress peer, string password)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(password);
        var key = Encoding.UTF8.GetBytes(password);
        if (key.Length > MaxKeyLength)
            throw new ArgumentException($"a TCP MD5 key is at most {MaxKeyLength} bytes", nameof(password));
        // struct tcp_md5sig: sockaddr_storage (128), flags, prefixlen, keylen (u16), ifindex (i32), key[80].
        var option = new byte[128 + 1 + 1 + 2 + 4 + MaxKeyLength];
        var address = option.AsSpan(0, 128);
        if (peer.AddressFamily == AddressFamily.InterNetworkV6)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(address, 10);
            peer.TryWriteBytes(address[8..24], out _);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(address, 2);
            peer.TryWriteBytes(address[4..8], out _);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(option.AsSpan(130), (ushort)key.Length);
        key.CopyTo(option.AsSpan(136));
        socket.SetRawSocketOption(IpProtoTcp, TcpMd5Sig, option);
    }
}
