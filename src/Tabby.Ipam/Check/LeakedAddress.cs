using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>An allocation nothing uses: repair releases exactly this allocation (address, handle and sequence number), never a later reuse.</summary>
public sealed class LeakedAddress
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";

    [JsonPropertyName("block")]
    public string Block { get; set; } = "";

    [JsonPropertyName("handle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Handle { get; set; }

    [JsonPropertyName("sequenceNumber")]
    public ulong SequenceNumber { get; set; }

    [JsonPropertyName("node")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Node { get; set; }

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; set; }

    [JsonPropertyName("pod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pod { get; set; }
}
