namespace Tabby.Cni.Config;

/// <summary>The <c>ipam</c> section: which IPAM plugin, and for tabby-ipam which pools and families (Calico's fields).</summary>
public sealed record IpamConf
{
    /// <summary>The IPAM plugin's executable name, looked up in CNI_PATH.</summary>
    public required string Type { get; init; }

    /// <summary>IPv4 pools by CIDR or IPPool name; empty: every enabled pool that selects the node.</summary>
    public IReadOnlyList<string> Ipv4Pools { get; init; } = [];

    public IReadOnlyList<string> Ipv6Pools { get; init; } = [];

    /// <summary>Calico's default: one IPv4 address.</summary>
    public bool AssignIpv4 { get; init; } = true;

    /// <summary>Calico's default: no IPv6 address.</summary>
    public bool AssignIpv6 { get; init; }
}
