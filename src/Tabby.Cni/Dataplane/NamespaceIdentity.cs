using Tabby.Linux.Netns;

namespace Tabby.Cni.Dataplane;

/// <summary>Tells two network namespaces apart by the nsfs inode their /proc links name ("net:[4026531840]").</summary>
public static class NamespaceIdentity
{
    public static string Of(NetworkNamespace networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        return networkNamespace.Run(() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "");
    }

    /// <summary>The namespace this process runs in (a plugin runs in the host's).</summary>
    public static string OfProcess() => new FileInfo("/proc/self/ns/net").LinkTarget ?? "";
}
