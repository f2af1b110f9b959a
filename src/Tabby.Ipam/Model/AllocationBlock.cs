using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>An IPAM block as Calico stores it at <c>/calico/ipam/v2/assignment/ipv4/block/&lt;cidr&gt;</c> (its model.AllocationBlock).</summary>
/// <remarks>Field names and shapes are Calico's, so its tooling reads Tabby's blocks and Tabby reads its.</remarks>
public sealed class AllocationBlock
{
    [JsonPropertyName("cidr")]
    public string Cidr { get; set; } = "";

    /// <summary><c>host:&lt;node&gt;</c>, or null when the block belongs to no host.</summary>
    [JsonPropertyName("affinity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Affinity { get; set; }

    /// <summary>When the affinity was claimed (RFC 3339); absent on old blocks.</summary>
    [JsonPropertyName("affinity_claim_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AffinityClaimTime { get; set; }

    /// <summary>Per ordinal, the index into <see cref="Attributes"/>, or null when the address is free.</summary>
    [JsonPropertyName("allocations")]
    public List<int?> Allocations { get; set; } = [];

    /// <summary>The free ordinals, oldest-freed first: allocation takes from the head, release appends.</summary>
    [JsonPropertyName("unallocated")]
    public List<int> Unallocated { get; set; } = [];

    [JsonPropertyName("attributes")]
    public List<AllocationAttribute> Attributes { get; set; } = [];

    /// <summary>Bumped on every write; each allocation records the value it was made at.</summary>
    [JsonPropertyName("sequenceNumber")]
    public ulong SequenceNumber { get; set; }

    /// <summary>Ordinal (as a string) to the block's sequence number when it was allocated.</summary>
    [JsonPropertyName("sequenceNumberForAllocation")]
    public Dictionary<string, ulong>? SequenceNumberForAllocation { get; set; }

    [JsonPropertyName("deleted")]
    public bool Deleted { get; set; }

    /// <summary>The pre-<c>affinity</c> form (just the host name); read, never written.</summary>
    [JsonPropertyName("hostAffinity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HostAffinity { get; set; }
}
