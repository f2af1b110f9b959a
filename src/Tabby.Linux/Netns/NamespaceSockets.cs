using System.Net.Sockets;

namespace Tabby.Linux.Netns;

/// <summary>TCP sockets created inside a network namespace; they stay in it whichever thread then uses them.</summary>
public static class NamespaceSockets
{
    /// <summary>A factory for clients (the etcd client, the BGP speaker) that must talk from inside <paramref name="ns"/>.</summary>
    public static Func<AddressFamily, Socket> TcpFactory(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return family => ns.Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
    }
}
