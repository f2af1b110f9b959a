using Tabby.Cni.Protocol;
using Tabby.Core.Naming;

namespace Tabby.Cni.Workloads;

/// <summary>Who an attachment is for, and the names Calico derives from that: endpoint name, IPAM handle, host interface.</summary>
public sealed record WorkloadIdentity
{
    public const string Kubernetes = "k8s";
    public const string Cni = "cni";

    /// <summary>Calico puts every non-Kubernetes workload in this namespace.</summary>
    public const string DefaultNamespace = "default";

    public required string Node { get; init; }

    /// <summary>"k8s" when CNI_ARGS name a pod and its namespace, else "cni".</summary>
    public required string Orchestrator { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The Kubernetes pod, or null.</summary>
    public string? Pod { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>The container-side interface (CNI_IFNAME): the endpoint's name.</summary>
    public required string Endpoint { get; init; }

    public required string EndpointName { get; init; }

    public bool IsKubernetes => Orchestrator == Kubernetes;

    /// <summary>What the host-side interface name hashes: Calico's "namespace.pod" for a pod's eth0; the container ID for other workloads; other interfaces append their name.</summary>
    public string WorkloadId
    {
        get
        {
            var id = IsKubernetes ? $"{Namespace}.{Pod}" : ContainerId;
            return Endpoint == "eth0" ? id : $"{id}.{Endpoint}";
        }
    }

    /// <summary>cali + the first 11 hex digits of SHA-1 over <see cref="WorkloadId"/>.</summary>
    public string HostInterface => InterfaceNames.ForWorkload(WorkloadId);

    /// <summary>Calico's IPAM handle: <c>&lt;network&gt;.&lt;containerID&gt;</c>.</summary>
    public string HandleId(string network) => $"{network}.{ContainerId}";

    /// <summary>Derives the identity from the environment; code 4 when CNI_ARGS or CNI_CONTAINERID cannot form a Calico endpoint name.</summary>
    public static WorkloadIdentity From(CniEnvironment environment, string node)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(node);
        var pod = environment.Args.PodName;
        var podNamespace = environment.Args.PodNamespace;
        var isKubernetes = !string.IsNullOrEmpty(pod) && !string.IsNullOrEmpty(podNamespace);
        var orchestrator = isKubernetes ? Kubernetes : Cni;
        (string, string)[] segments = isKubernetes
            ? [("node", node), ("orchestrator", orchestrator), ("K8S_POD_NAME", pod!), ("CNI_IFNAME", environment.IfName)]
            : [("node", node), ("orchestrator", orchestrator), ("CNI_CONTAINERID", environment.ContainerId), ("CNI_IFNAME", environment.IfName)];
        var name = WorkloadEndpointNames.TryBuild(segments, out var problem)
            ?? throw new CniException(segments[0].Item2.Length == 0 || problem!.StartsWith("node", StringComparison.Ordinal) ? CniErrorCode.InvalidConfig : CniErrorCode.InvalidEnvironment,
                $"cannot name the WorkloadEndpoint: {problem}");
        return new WorkloadIdentity
        {
            Node = node,
            Orchestrator = orchestrator,
            Namespace = isKubernetes ? podNamespace! : DefaultNamespace,
            Pod = isKubernetes ? pod : null,
            ContainerId = environment.ContainerId,
            Endpoint = environment.IfName,
            EndpointName = name,
        };
    }
}
