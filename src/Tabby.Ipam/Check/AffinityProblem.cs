using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>A host's affinity to a block that does not match the block.</summary>
public sealed class AffinityProblem
{
    [JsonPropertyName("host")]
    public string Host { get; set; } = "";

    [JsonPropertyName("block")]
    public string Block { get; set; } = "";

    /// <summary>The stored state (<c>pending</c>, <c>confirmed</c>, <c>pendingDeletion</c>), or <c>unreadable</c>.</summary>
    [JsonPropertyName("state")]
    public string State { get; set; } = "";

    /// <summary>The affinity key's revision when checked; repair acts only if it is still at it.</summary>
    [JsonPropertyName("modRevision")]
    public long ModRevision { get; set; }

    /// <summary>Whether the block existed when checked.</summary>
    [JsonPropertyName("blockExists")]
    public bool BlockExists { get; set; }

    /// <summary>The block's own affinity (<c>host:&lt;node&gt;</c>) when it exists, else null.</summary>
    [JsonPropertyName("blockAffinity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BlockAffinity { get; set; }
}
