using System.Text.Json.Serialization;

namespace Tabby.Ipam.Usage;

/// <summary>How one IP pool's addresses are used, over its whole CIDR (Calico's PoolUtilization).</summary>
/// <remarks>Capacity, Reserved and Available cover space no block has been carved from yet, so they are not sums over
/// <see cref="Blocks"/>; InUse is. Counts saturate at <see cref="long.MaxValue"/> (large IPv6 pools).</remarks>
public sealed class PoolUsage
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("cidr")]
    public string Cidr { get; set; } = "";

    [JsonPropertyName("disabled")]
    public bool Disabled { get; set; }

    [JsonPropertyName("capacity")]
    public long Capacity { get; set; }

    [JsonPropertyName("inUse")]
    public long InUse { get; set; }

    [JsonPropertyName("reserved")]
    public long Reserved { get; set; }

    [JsonPropertyName("available")]
    public long Available { get; set; }

    [JsonPropertyName("blocks")]
    public List<BlockUsage> Blocks { get; set; } = [];
}
