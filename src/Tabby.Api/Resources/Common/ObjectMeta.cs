using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>The part of Kubernetes' ObjectMeta that Calico resources carry and users write.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? GenerateName { get; set; }

    public string? Namespace { get; set; }

    public string? SelfLink { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public string? CreationTimestamp { get; set; }

    public string? DeletionTimestamp { get; set; }

    public long? DeletionGracePeriodSeconds { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }

    public List<string>? Finalizers { get; set; }

    /// <summary>Server-side apply bookkeeping from exported Kubernetes objects, kept verbatim and never interpreted.</summary>
    public DocNode? ManagedFields { get; set; }
}
