using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a HostEndpoint: which host interface (or addresses) policy protects.</summary>
public sealed class HostEndpointSpec
{
    public string? Node { get; set; }

    public string? InterfaceName { get; set; }

    [ApiName("expectedIPs")]
    public List<string>? ExpectedIps { get; set; }

    public List<string>? Profiles { get; set; }

    public List<EndpointPort>? Ports { get; set; }
}
