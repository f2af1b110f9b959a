using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>Which block allocated an address, to which handle, at which sequence number.</summary>
public sealed class AllocationRef
{
    [JsonPropertyName("block")]
    public string Block { get; set; } = "";

    [JsonPropertyName("handle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Handle { get; set; }

    [JsonPropertyName("sequenceNumber")]
    public ulong SequenceNumber { get; set; }
}
