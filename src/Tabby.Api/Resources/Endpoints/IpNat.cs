using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A 1:1 NAT mapping (floating IP) of a workload endpoint.</summary>
public sealed class IpNat
{
    [AlwaysEmit]
    [ApiName("internalIP")]
    public string? InternalIp { get; set; }

    [AlwaysEmit]
    [ApiName("externalIP")]
    public string? ExternalIp { get; set; }
}
