using Tabby.Api.Resources;
using Tabby.Api.Validation;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Workloads;

/// <summary>Builds the WorkloadEndpoint an ADD writes (Calico's names, labels and profiles) and the network's profile.</summary>
public static class EndpointFactory
{
    /// <summary>The network an endpoint was written for, so GC touches only its own network's endpoints.</summary>
    public const string NetworkAnnotation = "cni.tabby.dev/network";

    public const string NamespaceLabel = "projectcalico.org/namespace";
    public const string OrchestratorLabel = "projectcalico.org/orchestrator";

    /// <summary>Kubernetes namespaces become profiles named kns.&lt;namespace&gt; (written by Calico's controllers, not the plugin).</summary>
    public const string NamespaceProfilePrefix = "kns.";

    public static WorkloadEndpoint Build(WorkloadIdentity identity, NetConf conf, string interfaceName, string? mac, IEnumerable<IpPrefix> networks)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(conf);
        var labels = new Dictionary<string, string>(conf.Labels, StringComparer.Ordinal)
        {
            // Calico's client stamps these two on every stored endpoint; selectors rely on them.
            [NamespaceLabel] = identity.Namespace,
            [OrchestratorLabel] = identity.Orchestrator,
        };
        var endpoint = new WorkloadEndpoint();
        endpoint.Metadata.Name = identity.EndpointName;
        endpoint.Metadata.Namespace = identity.Namespace;
        endpoint.Metadata.Labels = labels;
        endpoint.Metadata.Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [NetworkAnnotation] = conf.Name };
        var spec = endpoint.Spec;
        spec.Orchestrator = identity.Orchestrator;
        spec.Node = identity.Node;
        spec.ContainerId = identity.ContainerId;
        spec.Pod = identity.Pod;
        spec.Endpoint = identity.Endpoint;
        spec.IpNetworks = [.. networks.Select(n => n.ToString())];
        // Calico: a plain CNI workload gets its network's profile; a pod gets its namespace's.
        spec.Profiles = [identity.IsKubernetes ? NamespaceProfilePrefix + identity.Namespace : conf.Name];
        spec.InterfaceName = interfaceName;
        spec.Mac = mac;
        return endpoint;
    }

    /// <summary>Calico's profile for a plain CNI network: members talk to each other, everything may leave.</summary>
    public static Profile NetworkProfile(string network)
    {
        var profile = new Profile();
        profile.Metadata.Name = network;
        profile.Spec.Ingress = [new Rule { Action = "Allow", Source = new EntityRule { Selector = $"has({network})" } }];
        profile.Spec.Egress = [new Rule { Action = "Allow" }];
        profile.Spec.LabelsToApply = new Dictionary<string, string>(StringComparer.Ordinal) { [network] = "" };
        return profile;
    }

    /// <summary>Refuses a resource Calico would refuse, before anything is allocated; code 7 listing every problem.</summary>
    public static void EnsureValid(IResource resource, string what)
    {
        var errors = ResourceValidator.Validate(resource);
        if (errors.Count > 0)
            throw new CniException(CniErrorCode.InvalidConfig, $"the {what} this configuration produces is invalid", string.Join("; ", errors));
    }
}
