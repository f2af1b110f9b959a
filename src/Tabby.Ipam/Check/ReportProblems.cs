using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>Every inconsistency found, by kind; each list is empty when that kind was not found.</summary>
public sealed class ReportProblems
{
    /// <summary>Addresses allocated by more than one (overlapping) block, or used by more than one workload or node.</summary>
    [JsonPropertyName("duplicateAddresses")]
    public List<DuplicateAddress> DuplicateAddresses { get; set; } = [];

    /// <summary>Allocated, used by nothing, not cooling down and older than the grace period.</summary>
    [JsonPropertyName("leakedAddresses")]
    public List<LeakedAddress> LeakedAddresses { get; set; } = [];

    /// <summary>Used by a workload or node, inside an active pool, but not allocated.</summary>
    [JsonPropertyName("unallocatedInUse")]
    public List<UnallocatedAddress> UnallocatedInUse { get; set; } = [];

    /// <summary>Used by a workload or node, not allocated, and in no active pool.</summary>
    [JsonPropertyName("outsidePools")]
    public List<UnallocatedAddress> OutsidePools { get; set; } = [];

    /// <summary>Handles that no block allocation refers to.</summary>
    [JsonPropertyName("leakedHandles")]
    public List<HandleProblem> LeakedHandles { get; set; } = [];

    /// <summary>Handles that block allocations refer to but that do not exist.</summary>
    [JsonPropertyName("missingHandles")]
    public List<HandleProblem> MissingHandles { get; set; } = [];

    /// <summary>Handles whose per-block counts disagree with the blocks.</summary>
    [JsonPropertyName("handleCountMismatches")]
    public List<HandleProblem> HandleCountMismatches { get; set; } = [];

    /// <summary>Confirmed affinities whose block does not exist.</summary>
    [JsonPropertyName("affinitiesWithoutBlock")]
    public List<AffinityProblem> AffinitiesWithoutBlock { get; set; } = [];

    /// <summary>Affinities to a block that is affine to another host (or to none).</summary>
    [JsonPropertyName("staleAffinities")]
    public List<AffinityProblem> StaleAffinities { get; set; } = [];

    /// <summary>Affinities left <c>pending</c> or <c>pendingDeletion</c>: a claim or release that did not finish.</summary>
    [JsonPropertyName("pendingAffinities")]
    public List<AffinityProblem> PendingAffinities { get; set; } = [];

    /// <summary>Blocks that do not parse or break a block invariant (calicoctl's block checks).</summary>
    [JsonPropertyName("invalidBlocks")]
    public List<InvalidBlock> InvalidBlocks { get; set; } = [];

    /// <summary>The number of entries over every list.</summary>
    [JsonIgnore]
    public int Count =>
        DuplicateAddresses.Count + LeakedAddresses.Count + UnallocatedInUse.Count + OutsidePools.Count + LeakedHandles.Count
        + MissingHandles.Count + HandleCountMismatches.Count + AffinitiesWithoutBlock.Count + StaleAffinities.Count
        + PendingAffinities.Count + InvalidBlocks.Count;
}
