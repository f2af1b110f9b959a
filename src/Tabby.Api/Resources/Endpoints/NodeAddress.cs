using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>An address a node can be reached at, with its type (CalicoNodeIP, InternalIP, ExternalIP).</summary>
public sealed class NodeAddress
{
    [AlwaysEmit]
    public string? Address { get; set; }

    public string? Type { get; set; }
}
