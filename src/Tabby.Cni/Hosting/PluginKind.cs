namespace Tabby.Cni.Hosting;

/// <summary>Which plugin this executable is, by the name it was run as (like Calico's calico/calico-ipam binary).</summary>
public enum PluginKind
{
    /// <summary><c>tabby</c>: the interface plugin.</summary>
    Network,

    /// <summary><c>tabby-ipam</c>: the IPAM plugin.</summary>
    Ipam,
}
