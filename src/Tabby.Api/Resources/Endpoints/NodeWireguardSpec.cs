using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A node's WireGuard interface addresses.</summary>
public sealed class NodeWireguardSpec
{
    [ApiName("interfaceIPv4Address")]
    public string? InterfaceIpv4Address { get; set; }

    [ApiName("interfaceIPv6Address")]
    public string? InterfaceIpv6Address { get; set; }
}
