using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A named port on a host endpoint, which policy rules can refer to by name.</summary>
public sealed class EndpointPort
{
    [AlwaysEmit]
    public string? Name { get; set; }

    [AlwaysEmit]
    public Protocol? Protocol { get; set; }

    [AlwaysEmit]
    public int Port { get; set; }
}
