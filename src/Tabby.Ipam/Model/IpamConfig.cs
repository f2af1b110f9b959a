using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>The cluster's IPAM settings at <c>/calico/ipam/v2/config</c> (Calico's model.IPAMConfig).</summary>
public sealed class IpamConfig
{
    /// <summary>The settings when none are stored: borrowing allowed, blocks allocated automatically, 20 blocks per host.</summary>
    public static IpamConfig Default => new() { AutoAllocateBlocks = true };

    /// <summary>True: a host never takes addresses from another host's block.</summary>
    [JsonPropertyName("strict_affinity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool StrictAffinity { get; set; }

    [JsonPropertyName("auto_allocate_blocks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AutoAllocateBlocks { get; set; }

    /// <summary>The most blocks one host may claim; 0 means the default of 20.</summary>
    [JsonPropertyName("maxBlocksPerHost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int MaxBlocksPerHost { get; set; }

    /// <summary>Seconds a released address waits before it can be handed out again.</summary>
    [JsonPropertyName("ipCooldownSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int IpCooldownSeconds { get; set; }

    /// <summary>The block limit that applies: the configured one, or 20 when none is.</summary>
    [JsonIgnore]
    public int EffectiveMaxBlocksPerHost => MaxBlocksPerHost > 0 ? MaxBlocksPerHost : 20;
}
