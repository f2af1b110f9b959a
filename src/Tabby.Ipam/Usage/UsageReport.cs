using System.Text.Json.Serialization;

namespace Tabby.Ipam.Usage;

/// <summary>Address usage per pool and block at one revision (<c>tabby ipam show</c>).</summary>
public sealed class UsageReport
{
    [JsonPropertyName("revision")]
    public long Revision { get; set; }

    [JsonPropertyName("pools")]
    public List<PoolUsage> Pools { get; set; } = [];

    /// <summary>Blocks inside no pool (their pool was deleted): their allocations stay visible here.</summary>
    [JsonPropertyName("orphanedBlocks")]
    public List<BlockUsage> OrphanedBlocks { get; set; } = [];

    /// <summary>Stored pools and blocks that could not be read.</summary>
    [JsonPropertyName("problems")]
    public List<string> Problems { get; set; } = [];
}
