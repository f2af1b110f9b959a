using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A node's BGP identity: AS number, peering addresses and route-reflector cluster.</summary>
public sealed class NodeBgpSpec
{
    public AsNumber? AsNumber { get; set; }

    public string? Ipv4Address { get; set; }

    public string? Ipv6Address { get; set; }

    [ApiName("ipv4IPIPTunnelAddr")]
    public string? Ipv4IpipTunnelAddr { get; set; }

    [ApiName("routeReflectorClusterID")]
    public string? RouteReflectorClusterId { get; set; }
}
