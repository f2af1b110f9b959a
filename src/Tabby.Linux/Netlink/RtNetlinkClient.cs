using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Neighbours;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Netlink;

/// <summary>An rtnetlink client bound to one network namespace: links, addresses, routes and neighbours.</summary>
public sealed class RtNetlinkClient : IDisposable
{
    private readonly NetlinkSocket _socket;

    private RtNetlinkClient(NetlinkSocket socket, string namespaceName)
    {
        _socket = socket;
        Namespace = namespaceName;
        Links = new NetlinkLinks(socket);
        Addresses = new NetlinkAddresses(socket);
        Routes = new NetlinkRoutes(socket);
        Neighbours = new NetlinkNeighbours(socket);
    }

    /// <summary>The namespace this client programs, for messages.</summary>
    public string Namespace { get; }

    public NetlinkLinks Links { get; }
    public NetlinkAddresses Addresses { get; }
    public NetlinkRoutes Routes { get; }
    public NetlinkNeighbours Neighbours { get; }

    /// <summary>Opens a client whose socket lives in <paramref name="networkNamespace"/>.</summary>
    public static RtNetlinkClient Open(NetworkNamespace networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        return new RtNetlinkClient(networkNamespace.Run(NetlinkSocket.Open), networkNamespace.ToString());
    }

    /// <summary>Opens a client in the calling thread's own namespace (on a host: the root namespace).</summary>
    public static RtNetlinkClient OpenCurrent() => new(NetlinkSocket.Open(), "current");

    public void Dispose() => _socket.Dispose();
}
