using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A workload's named or host-mapped port.</summary>
public sealed class WorkloadEndpointPort
{
    [AlwaysEmit]
    public string? Name { get; set; }

    [AlwaysEmit]
    public Protocol? Protocol { get; set; }

    [AlwaysEmit]
    public int Port { get; set; }

    [AlwaysEmit]
    public int HostPort { get; set; }

    [AlwaysEmit]
    [ApiName("hostIP")]
    public string? HostIp { get; set; }
}
