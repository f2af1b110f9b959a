using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A replacement liveness/readiness timeout for one named agent component.</summary>
public sealed class HealthTimeoutOverride
{
    [AlwaysEmit]
    public string? Name { get; set; }

    [AlwaysEmit]
    public string? Timeout { get; set; }
}
