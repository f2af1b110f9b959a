using Tabby.Cni.Dataplane;
using Tabby.Cni.Protocol;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;

namespace Tabby.Cni.Plugin;

/// <summary>Opens CNI_NETNS: it must exist, be a network namespace, and not be the plugin's own.</summary>
public static class ContainerNamespace
{
    /// <summary>Opens the namespace and a netlink client in it; one thread enters it for both.</summary>
    /// <exception cref="CniException">Code 3 when it does not exist; 4 when it is not a network namespace or is the plugin's own (unless CNI_NETNS_OVERRIDE).</exception>
    public static ContainerAccess Open(CniEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        NetworkNamespace ns;
        try
        {
            ns = NetworkNamespace.OpenPath(environment.Netns);
        }
        catch (Exception e) when (e is NamespaceException or IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.UnknownContainer, $"the container's network namespace {environment.Netns} does not exist", e.Message);
        }

        RtNetlinkClient? netlink = null;
        try
        {
            string identity;
            try
            {
                (identity, netlink) = ns.Run(() => (NamespaceIdentity.OfCurrentThread(), RtNetlinkClient.OpenCurrent()));
            }
            catch (NamespaceException e)
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_NETNS {environment.Netns} is not a network namespace", e.Message);
            }
            if (!environment.NetnsOverride && identity == NamespaceIdentity.OfProcess())
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_NETNS {environment.Netns} is the plugin's own network namespace",
                    "the plugin runs in the host's namespace and the container needs one of its own");
            return new ContainerAccess(ns, netlink);
        }
        catch
        {
            netlink?.Dispose();
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Opens CNI_NETNS for DEL, where a missing namespace only means there is nothing inside left to remove.</summary>
    public static ContainerAccess? TryOpen(CniEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Netns.Length == 0)
            return null;
        try
        {
            return Open(environment);
        }
        catch (CniException)
        {
            return null;
        }
    }
}
