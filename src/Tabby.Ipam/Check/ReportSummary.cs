using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>The counts a person reads first.</summary>
public sealed class ReportSummary
{
    [JsonPropertyName("blocks")]
    public int Blocks { get; set; }

    [JsonPropertyName("allocations")]
    public int Allocations { get; set; }

    /// <summary>Addresses some workload endpoint or node uses.</summary>
    [JsonPropertyName("inUseAddresses")]
    public int InUseAddresses { get; set; }

    /// <summary>Released addresses waiting out the cooldown before reuse.</summary>
    [JsonPropertyName("coolingDown")]
    public int CoolingDown { get; set; }

    /// <summary>Allocations with no user that are younger than the grace period (a CNI ADD between allocating and writing its endpoint).</summary>
    [JsonPropertyName("inFlight")]
    public int InFlight { get; set; }

    /// <summary>Allocations from a block affine to another host (or to none).</summary>
    [JsonPropertyName("borrowed")]
    public int Borrowed { get; set; }

    [JsonPropertyName("handles")]
    public int Handles { get; set; }

    [JsonPropertyName("affinities")]
    public int Affinities { get; set; }

    [JsonPropertyName("activePools")]
    public int ActivePools { get; set; }

    [JsonPropertyName("workloadEndpoints")]
    public int WorkloadEndpoints { get; set; }

    [JsonPropertyName("nodes")]
    public int Nodes { get; set; }

    /// <summary>The number of entries over every problem list.</summary>
    [JsonPropertyName("problems")]
    public int Problems { get; set; }
}
