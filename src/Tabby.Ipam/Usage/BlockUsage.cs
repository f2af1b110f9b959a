using System.Text.Json.Serialization;

namespace Tabby.Ipam.Usage;

/// <summary>How one block's addresses are used (Calico's BlockUtilization).</summary>
/// <remarks>InUse and Reserved overlap (an address allocated before a reservation covered it counts in both);
/// Available is neither, so it is the one figure that says how many can still be handed out.</remarks>
public sealed class BlockUsage
{
    [JsonPropertyName("cidr")]
    public string Cidr { get; set; } = "";

    /// <summary>The host the block is affine to, or null.</summary>
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonPropertyName("capacity")]
    public long Capacity { get; set; }

    /// <summary>Allocated addresses, cooling down included, reserved or not.</summary>
    [JsonPropertyName("inUse")]
    public long InUse { get; set; }

    /// <summary>Addresses an IPReservation covers, allocated or not.</summary>
    [JsonPropertyName("reserved")]
    public long Reserved { get; set; }

    /// <summary>Neither allocated nor reserved.</summary>
    [JsonPropertyName("available")]
    public long Available { get; set; }
}
