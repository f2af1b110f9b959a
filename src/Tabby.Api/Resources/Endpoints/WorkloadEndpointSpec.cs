using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a WorkloadEndpoint: one interface of a pod or VM.</summary>
public sealed class WorkloadEndpointSpec
{
    public string? Orchestrator { get; set; }

    public string? Workload { get; set; }

    public string? Node { get; set; }

    [ApiName("containerID")]
    public string? ContainerId { get; set; }

    public string? Pod { get; set; }

    public string? Endpoint { get; set; }

    public string? ServiceAccountName { get; set; }

    public List<string>? IpNetworks { get; set; }

    [ApiName("ipNATs")]
    public List<IpNat>? IpNats { get; set; }

    public string? Ipv4Gateway { get; set; }

    public string? Ipv6Gateway { get; set; }

    public List<string>? Profiles { get; set; }

    public string? InterfaceName { get; set; }

    public string? Mac { get; set; }

    public List<WorkloadEndpointPort>? Ports { get; set; }

    public List<string>? AllowSpoofedSourcePrefixes { get; set; }

    [ApiName("awsElasticIPs")]
    public List<string>? AwsElasticIps { get; set; }
}
