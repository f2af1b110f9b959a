namespace Tabby.Cni.Dataplane;

/// <summary>Tells two network namespaces apart by the nsfs inode their /proc links name ("net:[4026531840]").</summary>
public static class NamespaceIdentity
{
    /// <summary>The namespace of the calling thread (inside <c>NetworkNamespace.Run</c>: the one entered).</summary>
    public static string OfCurrentThread() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "";

    /// <summary>The namespace this process runs in (a plugin runs in the host's).</summary>
    public static string OfProcess() => new FileInfo("/proc/self/ns/net").LinkTarget ?? "";
}
