using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a BlockAffinity: which node claims which block, and how far the claim has got.</summary>
public sealed class BlockAffinitySpec
{
    [AlwaysEmit]
    public string? State { get; set; }

    [AlwaysEmit]
    public string? Node { get; set; }

    public string? Type { get; set; }

    [AlwaysEmit]
    public string? Cidr { get; set; }

    /// <summary>Whether the affinity is being torn down; absent means false, the CRD's default. Calico's
    /// current CRD has a boolean; its older API had the strings "true"/"false", which still read.</summary>
    [AlwaysEmit]
    public BoolOrString Deleted { get; set; }
}
