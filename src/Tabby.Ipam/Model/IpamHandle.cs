using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>How many addresses a handle holds in each block, at <c>/calico/ipam/v2/handle/&lt;id&gt;</c> (Calico's model.IPAMHandle).</summary>
/// <remarks>The index that lets a release by handle touch only the blocks it needs.</remarks>
public sealed class IpamHandle
{
    /// <summary>Block CIDR to the number of addresses this handle holds there.</summary>
    [JsonPropertyName("block")]
    public Dictionary<string, int> Block { get; set; } = [];

    [JsonPropertyName("deleted")]
    public bool Deleted { get; set; }
}
