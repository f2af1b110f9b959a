using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a BGPPeer: which nodes peer with whom, and how.</summary>
public sealed class BGPPeerSpec
{
    public string? Node { get; set; }

    public string? NodeSelector { get; set; }

    [ApiName("peerIP")]
    public string? PeerIp { get; set; }

    public AsNumber? AsNumber { get; set; }

    public string? PeerSelector { get; set; }

    public bool KeepOriginalNextHop { get; set; }

    public string? NextHopMode { get; set; }

    public BgpPassword? Password { get; set; }

    public string? SourceAddress { get; set; }

    public string? FailureDetectionMode { get; set; }

    public string? RestartMode { get; set; }

    public string? MaxRestartTime { get; set; }

    public string? KeepaliveTime { get; set; }

    public string? BirdGatewayMode { get; set; }

    [ApiName("numAllowedLocalASNumbers")]
    public int? NumAllowedLocalAsNumbers { get; set; }

    public int? TtlSecurity { get; set; }

    public string? ReachableBy { get; set; }

    public List<string>? Filters { get; set; }

    public string? LocalWorkloadSelector { get; set; }

    public string? ReversePeering { get; set; }

    [ApiName("localASNumber")]
    public AsNumber? LocalAsNumber { get; set; }
}
