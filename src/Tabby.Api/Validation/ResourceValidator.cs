using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Api.Validation;

/// <summary>Validates any v3 resource as strictly as Calico does; every problem is reported, not just the first.</summary>
public static class ResourceValidator
{
    public static IReadOnlyList<FieldError> Validate(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var context = new ValidationContext();
        var kind = KindRegistry.For(resource);
        MetadataValidator.Validate(context, resource, kind);
        switch (resource)
        {
            case IPPool r: IpamValidator.Validate(context, r); break;
            case IPReservation r: IpamValidator.Validate(context, r); break;
            case IPAMConfiguration r: IpamValidator.Validate(context, r); break;
            case IPAMBlock r: IpamValidator.Validate(context, r); break;
            case BlockAffinity r: IpamValidator.Validate(context, r); break;
            case IPAMHandle r: IpamValidator.Validate(context, r); break;
            case Node r: EndpointValidator.Validate(context, r); break;
            case WorkloadEndpoint r: EndpointValidator.Validate(context, r); break;
            case HostEndpoint r: EndpointValidator.Validate(context, r); break;
            case NetworkPolicy r: PolicyValidator.Validate(context, r); break;
            case GlobalNetworkPolicy r: PolicyValidator.Validate(context, r); break;
            case Tier r: PolicyValidator.Validate(context, r); break;
            case Profile r: PolicyValidator.Validate(context, r); break;
            case NetworkSet r: ValidateNetworkSet(context, r.Metadata, r.Spec); break;
            case GlobalNetworkSet r: ValidateNetworkSet(context, r.Metadata, r.Spec); break;
            case BGPConfiguration r: BgpValidator.Validate(context, r); break;
            case BGPPeer r: BgpValidator.Validate(context, r); break;
            case BGPFilter r: BgpValidator.Validate(context, r); break;
            case FelixConfiguration r: ConfigValidator.Validate(context, r); break;
            case ClusterInformation r: ConfigValidator.Validate(context, r); break;
        }
        return context.Errors;
    }

    private static void ValidateNetworkSet(ValidationContext context, ObjectMeta metadata, NetworkSetSpec spec)
    {
        Checks.Nets(context, "spec.nets", spec.Nets);
        // That label is how namespaces are mapped into Calico's internal model; a set must not claim one.
        if (metadata.Labels?.ContainsKey("projectcalico.org/namespace") == true)
            context.Error("metadata.labels.projectcalico.org/namespace", "projectcalico.org/namespace is not a valid label name");
    }
}
