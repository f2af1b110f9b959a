using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a Node.</summary>
public sealed class NodeSpec
{
    public NodeBgpSpec? Bgp { get; set; }

    [ApiName("ipv4VXLANTunnelAddr")]
    public string? Ipv4VxlanTunnelAddr { get; set; }

    [ApiName("vxlanTunnelMACAddr")]
    public string? VxlanTunnelMacAddr { get; set; }

    [ApiName("ipv6VXLANTunnelAddr")]
    public string? Ipv6VxlanTunnelAddr { get; set; }

    [ApiName("vxlanTunnelMACAddrV6")]
    public string? VxlanTunnelMacAddrV6 { get; set; }

    public List<OrchRef>? OrchRefs { get; set; }

    public NodeWireguardSpec? Wireguard { get; set; }

    public List<NodeAddress>? Addresses { get; set; }
}
