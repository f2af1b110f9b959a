using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of an IPAMBlock, Calico's CRD shape: allocations by ordinal, free list and attributes.</summary>
public sealed class IPAMBlockSpec
{
    [AlwaysEmit]
    public string? Cidr { get; set; }

    public string? Affinity { get; set; }

    public string? AffinityClaimTime { get; set; }

    /// <summary>Per ordinal, the index into <see cref="Attributes"/>, or null when the address is free.</summary>
    [AlwaysEmit]
    public List<int?>? Allocations { get; set; }

    [AlwaysEmit]
    public List<int>? Unallocated { get; set; }

    [AlwaysEmit]
    public List<AllocationAttribute>? Attributes { get; set; }

    [AlwaysEmit]
    public ulong SequenceNumber { get; set; }

    [AlwaysEmit]
    public Dictionary<string, ulong>? SequenceNumberForAllocation { get; set; }

    [AlwaysEmit]
    public bool Deleted { get; set; }

    [AlwaysEmit]
    public bool StrictAffinity { get; set; }
}
