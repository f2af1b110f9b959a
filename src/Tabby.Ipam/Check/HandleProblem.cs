using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>A handle that disagrees with the blocks: leaked (blocks hold nothing for it), missing, or with wrong counts.</summary>
public sealed class HandleProblem
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    /// <summary>The handle key's revision when checked (0: it did not exist); repair acts only if it is still at it.</summary>
    [JsonPropertyName("modRevision")]
    public long ModRevision { get; set; }

    /// <summary>What the handle says: block to count (null when it is missing or does not parse).</summary>
    [JsonPropertyName("stored")]
    public Dictionary<string, int>? Stored { get; set; }

    /// <summary>What the blocks hold for it: block to count.</summary>
    [JsonPropertyName("actual")]
    public Dictionary<string, int> Actual { get; set; } = [];
}
