using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>An inclusive range of Linux routing table indexes the agent may use.</summary>
public sealed class RouteTableRange
{
    [AlwaysEmit]
    public int Min { get; set; }

    [AlwaysEmit]
    public int Max { get; set; }
}
