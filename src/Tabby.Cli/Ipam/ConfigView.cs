using System.Text.Json.Serialization;

namespace Tabby.Cli.Ipam;

/// <summary>The IPAM settings as <c>tabby ipam configure -o json</c> prints them.</summary>
public sealed class ConfigView
{
    [JsonPropertyName("strictAffinity")]
    public bool StrictAffinity { get; set; }

    [JsonPropertyName("autoAllocateBlocks")]
    public bool AutoAllocateBlocks { get; set; }

    /// <summary>The limit in force (20 when none is set).</summary>
    [JsonPropertyName("maxBlocksPerHost")]
    public int MaxBlocksPerHost { get; set; }

    [JsonPropertyName("ipCooldownSeconds")]
    public int IpCooldownSeconds { get; set; }
}
