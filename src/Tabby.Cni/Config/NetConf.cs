using System.Text.Json;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Config;

/// <summary>The network configuration a runtime passes on stdin, as Tabby reads it (Calico's field names).</summary>
public sealed record NetConf
{
    public required CniVersion Version { get; init; }

    /// <summary>The network name: the IPAM handle prefix and, for non-Kubernetes workloads, the profile.</summary>
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>Null when the configuration has no ipam section (only the IPAM plugin itself may do without).</summary>
    public IpamConf? Ipam { get; init; }

    /// <summary>The datastore connection string, <c>sqlite:PATH</c> or <c>etcd:URL[,URL]</c>.</summary>
    public required string Datastore { get; init; }

    /// <summary>0: the kernel's default.</summary>
    public int Mtu { get; init; }

    public string? Nodename { get; init; }

    public string NodenameFile { get; init; } = NodeNames.DefaultFile;

    /// <summary>Where the agent writes the MTU for workloads, used when <see cref="Mtu"/> is 0.</summary>
    public string MtuFile { get; init; } = WorkloadMtu.DefaultFile;

    /// <summary>Calico's container_settings.allow_ip_forwarding: the container may route.</summary>
    public bool AllowIpForwarding { get; init; }

    /// <summary>Calico's policy.type; when set, profiles are someone else's business and the plugin creates none.</summary>
    public string? PolicyType { get; init; }

    /// <summary>"debug" or "info" logs to stderr; anything else stays quiet.</summary>
    public string? LogLevel { get; init; }

    /// <summary>Addresses asked for by the runtime: runtimeConfig.ips, else args.cni.ips (CNI_ARGS IP= is read only when both are absent).</summary>
    public IReadOnlyList<string>? RequestedIps { get; init; }

    /// <summary>A container-side MAC asked for by runtimeConfig.mac.</summary>
    public string? RequestedMac { get; init; }

    /// <summary>Labels from args.cni.labels, added to the WorkloadEndpoint.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The previous result (CHECK, DEL, and ADD in a chain), or null.</summary>
    public JsonElement? PrevResult { get; init; }

    /// <summary>The dns section, passed through to the result.</summary>
    public JsonElement? Dns { get; init; }

    /// <summary>GC's attachments to keep; null when the field is absent.</summary>
    public IReadOnlyList<ValidAttachment>? ValidAttachments { get; init; }
}
