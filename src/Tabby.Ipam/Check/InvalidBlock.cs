using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>A stored block that cannot be trusted, with the reason.</summary>
public sealed class InvalidBlock
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    /// <summary>The block's CIDR as its key names it, or null when the key does not parse either.</summary>
    [JsonPropertyName("block")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Block { get; set; }

    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("modRevision")]
    public long ModRevision { get; set; }
}
