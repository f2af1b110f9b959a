using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;

namespace Tabby.Api.Validation;

/// <summary>Fills in the defaults Calico fills when a resource is created, so stored and printed objects match Calico's.</summary>
/// <remarks>Idempotent: applying it to an already-defaulted resource changes nothing.</remarks>
public static class ResourceDefaults
{
    public const string DefaultNamespace = "default";

    public static void Apply(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (KindRegistry.For(resource).Namespaced && string.IsNullOrEmpty(resource.Metadata.Namespace))
            resource.Metadata.Namespace = DefaultNamespace;
        switch (resource)
        {
            case IPPool pool:
                ApplyPool(pool.Spec);
                break;
            case NetworkPolicy policy:
                policy.Spec.Tier = string.IsNullOrEmpty(policy.Spec.Tier) ? PolicyValidator.DefaultTier : policy.Spec.Tier;
                policy.Spec.Types = DefaultTypes(policy.Spec.Types, policy.Spec.Ingress, policy.Spec.Egress);
                break;
            case GlobalNetworkPolicy policy:
                policy.Spec.Tier = string.IsNullOrEmpty(policy.Spec.Tier) ? PolicyValidator.DefaultTier : policy.Spec.Tier;
                policy.Spec.Types = DefaultTypes(policy.Spec.Types, policy.Spec.Ingress, policy.Spec.Egress);
                break;
            case Tier tier:
                // The CRD's default; the order has none, even for the well-known tiers (Calico's CEL
                // rules then require theirs to be given).
                tier.Spec.DefaultAction ??= "Deny";
                break;
            case BGPConfiguration bgp:
                // The CRD's defaults, which the API server applies to every BGPConfiguration, the
                // per-node ones too.
                bgp.Spec.LogSeverityScreen ??= "Info";
                bgp.Spec.ServiceLoadBalancerAggregation ??= "Enabled";
                DefaultSecretName(bgp.Spec.NodeMeshPassword);
                break;
            case BGPPeer peer:
                DefaultSecretName(peer.Spec.Password);
                break;
            case FelixConfiguration felix:
                felix.Spec.NftablesMode ??= "Auto";
                felix.Spec.NftablesFlowTableOffload ??= "Disabled";
                break;
        }
    }

    /// <summary>Kubernetes' SecretKeySelector schema defaults an absent name to "".</summary>
    private static void DefaultSecretName(BgpPassword? password)
    {
        if (password?.SecretKeyRef is { } secret)
            secret.Name ??= "";
    }

    private static void ApplyPool(IPPoolSpec spec)
    {
        // The block size depends on the family; an unparsable CIDR is left for validation to report.
        if (spec.Cidr is not null && IpPrefix.TryParse(spec.Cidr.AsSpan(), out var cidr, out _))
        {
            // Calico stores the pool CIDR normalised (fd00:0:0::/48 becomes fd00::/48).
            spec.Cidr = cidr.ToString();
            if (spec.BlockSize == 0)
                spec.BlockSize = cidr.IsIPv6 ? 122 : 26;
        }
        if (string.IsNullOrEmpty(spec.IpipMode))
            spec.IpipMode = "Never";
        if (string.IsNullOrEmpty(spec.VxlanMode))
            spec.VxlanMode = "Never";
        if (string.IsNullOrEmpty(spec.NodeSelector))
            spec.NodeSelector = "all()";
        // calicoctl's default, except with a namespaceSelector: Calico's CRDs accept such a pool with
        // allowedUses absent (its tables agree) but refuse one that allows Tunnel, so absent it stays;
        // readers take absent as Workload and Tunnel, as Calico's client does.
        if (spec.AllowedUses is not { Count: > 0 } && string.IsNullOrEmpty(spec.NamespaceSelector))
            spec.AllowedUses = ["Workload", "Tunnel"];
        // The CRD's default applies only where the field is absent: an explicit "" is refused, as by Calico.
        spec.AssignmentMode ??= "Automatic";
    }

    /// <summary>Calico's inference: Ingress unless there are only egress rules; both when there are both.</summary>
    private static List<string> DefaultTypes(List<string>? types, List<Rule>? ingress, List<Rule>? egress)
    {
        if (types is { Count: > 0 })
            return types;
        var hasIngress = ingress is { Count: > 0 };
        var hasEgress = egress is { Count: > 0 };
        if (hasEgress && hasIngress)
            return ["Ingress", "Egress"];
        return hasEgress ? ["Egress"] : ["Ingress"];
    }
}
