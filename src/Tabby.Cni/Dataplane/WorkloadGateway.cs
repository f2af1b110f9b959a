using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Dataplane;

/// <summary>What a workload routes through: 169.254.1.1 (answered by proxy ARP on the host side) and, for IPv6, the host side's link-local address.</summary>
public static class WorkloadGateway
{
    public static readonly IPAddress Ipv4 = IPAddress.Parse("169.254.1.1");
    public static readonly IpPrefix Ipv4Host = IpPrefix.Host(Ipv4);
    public static readonly IpPrefix Ipv4Default = IpPrefix.Parse("0.0.0.0/0");
    public static readonly IpPrefix Ipv6Default = IpPrefix.Parse("::/0");

    /// <summary>The host side's MAC, the same on every workload interface (Calico's ee:ee:ee:ee:ee:ee).</summary>
    public static MacAddress HostMac => MacAddress.HostSideWorkload;
}
