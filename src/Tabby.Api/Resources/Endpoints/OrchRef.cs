using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The name an orchestrator knows a node by.</summary>
public sealed class OrchRef
{
    public string? NodeName { get; set; }

    [AlwaysEmit]
    public string? Orchestrator { get; set; }
}
