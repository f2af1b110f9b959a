using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>A host's claim on a block, at <c>/calico/ipam/v2/host/&lt;node&gt;/ipv4/block/&lt;cidr&gt;</c> (Calico's model.BlockAffinity).</summary>
public sealed class BlockAffinity
{
    /// <summary><see cref="AffinityState"/>: pending, confirmed or pendingDeletion ("" on old data means confirmed).</summary>
    [JsonPropertyName("state")]
    public string State { get; set; } = AffinityState.Pending;

    [JsonPropertyName("deleted")]
    public bool Deleted { get; set; }
}
