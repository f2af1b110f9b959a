using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a BGPConfiguration (<c>default</c> for the cluster, <c>node.NAME</c> per node).</summary>
public sealed class BGPConfigurationSpec
{
    public string? LogSeverityScreen { get; set; }

    public bool? NodeToNodeMeshEnabled { get; set; }

    public AsNumber? AsNumber { get; set; }

    [ApiName("serviceLoadBalancerIPs")]
    public List<CidrBlock>? ServiceLoadBalancerIps { get; set; }

    [ApiName("serviceExternalIPs")]
    public List<CidrBlock>? ServiceExternalIps { get; set; }

    [ApiName("serviceClusterIPs")]
    public List<CidrBlock>? ServiceClusterIps { get; set; }

    public string? ServiceLoadBalancerAggregation { get; set; }

    public List<Community>? Communities { get; set; }

    public List<PrefixAdvertisement>? PrefixAdvertisements { get; set; }

    public int ListenPort { get; set; }

    public BgpPassword? NodeMeshPassword { get; set; }

    public string? NodeMeshMaxRestartTime { get; set; }

    public string? BindMode { get; set; }

    public List<string>? IgnoredInterfaces { get; set; }

    [ApiName("localWorkloadPeeringIPV4")]
    public string? LocalWorkloadPeeringIpv4 { get; set; }

    [ApiName("localWorkloadPeeringIPV6")]
    public string? LocalWorkloadPeeringIpv6 { get; set; }

    public string? ProgramClusterRoutes { get; set; }

    [ApiName("ipv4NormalRoutePriority")]
    public int? Ipv4NormalRoutePriority { get; set; }

    [ApiName("ipv6NormalRoutePriority")]
    public int? Ipv6NormalRoutePriority { get; set; }
}
