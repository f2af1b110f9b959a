using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>What a node reports about itself.</summary>
public sealed class NodeStatus
{
    public string? WireguardPublicKey { get; set; }

    public string? WireguardPublicKeyV6 { get; set; }

    [ApiName("podCIDRs")]
    public List<string>? PodCidrs { get; set; }
}
