using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;

namespace Tabby.Cni.Plugin;

/// <summary>An open container namespace and a netlink client inside it, made in one entry into the namespace.</summary>
public sealed class ContainerAccess(NetworkNamespace ns, RtNetlinkClient netlink) : IDisposable
{
    public NetworkNamespace Namespace { get; } = ns;

    /// <summary>A client whose socket lives in the container's namespace.</summary>
    public RtNetlinkClient Netlink { get; } = netlink;

    public void Dispose()
    {
        Netlink.Dispose();
        Namespace.Dispose();
    }
}
