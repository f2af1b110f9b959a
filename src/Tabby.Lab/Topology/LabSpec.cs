using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Topology;

/// <summary>A lab network: hosts on one underlay segment (a bridge in a "fabric" namespace, the top-of-rack switch).</summary>
public sealed record LabSpec(IReadOnlyList<LabHostSpec> Hosts)
{
    public IpPrefix Underlay { get; init; } = IpPrefix.Parse("192.168.0.0/24");

    /// <summary>The fabric's own address on the underlay; hosts use it as their default gateway so proxy ARP has a route to answer for.</summary>
    public IPAddress FabricAddress { get; init; } = IPAddress.Parse("192.168.0.1");

    /// <summary>The seed topology: host0 (192.168.0.2) with 10.20.1.2 and 10.20.1.3, host1 (192.168.0.3) with 10.20.2.2.</summary>
    public static LabSpec Seed { get; } = new(
    [
        new LabHostSpec("host0", IPAddress.Parse("192.168.0.2"), IpPrefix.Parse("10.20.1.0/26"), [IPAddress.Parse("10.20.1.2"), IPAddress.Parse("10.20.1.3")]),
        new LabHostSpec("host1", IPAddress.Parse("192.168.0.3"), IpPrefix.Parse("10.20.2.0/26"), [IPAddress.Parse("10.20.2.2")]),
    ]);
}
