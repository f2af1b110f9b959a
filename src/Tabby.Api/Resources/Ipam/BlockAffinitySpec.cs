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

    /// <summary>"true" or "false" as a string, as in Calico's CRD (a workaround for Kubernetes deletes).</summary>
    public string? Deleted { get; set; }
}
