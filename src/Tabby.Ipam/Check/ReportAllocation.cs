using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>One allocated address as a block records it, cross-referenced with who uses it (calicoctl's Allocation).</summary>
public sealed class ReportAllocation
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";

    [JsonPropertyName("block")]
    public string Block { get; set; } = "";

    [JsonPropertyName("ordinal")]
    public int Ordinal { get; set; }

    /// <summary>The sequence number the block recorded for this allocation: a release naming it cannot free a later reuse.</summary>
    [JsonPropertyName("sequenceNumber")]
    public ulong SequenceNumber { get; set; }

    [JsonPropertyName("handle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Handle { get; set; }

    /// <summary>The allocating node (its <c>node</c> attribute, else the block's host).</summary>
    [JsonPropertyName("node")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Node { get; set; }

    [JsonPropertyName("pod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pod { get; set; }

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; set; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    /// <summary>The allocation's <c>timestamp</c> attribute, as the allocating client wrote it.</summary>
    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Timestamp { get; set; }

    /// <summary>The host the block is affine to, or null.</summary>
    [JsonPropertyName("blockHost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BlockHost { get; set; }

    [JsonPropertyName("borrowed")]
    public bool Borrowed { get; set; }

    [JsonPropertyName("inUse")]
    public bool InUse { get; set; }

    [JsonPropertyName("coolingDown")]
    public bool CoolingDown { get; set; }

    /// <summary>Not in use but younger than the grace period: probably a workload being set up.</summary>
    [JsonPropertyName("inFlight")]
    public bool InFlight { get; set; }

    /// <summary>Who uses the address: <c>Workload(ns/name)</c>, <c>Node(name)</c>.</summary>
    [JsonPropertyName("owners")]
    public List<string> Owners { get; set; } = [];
}
