using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Api.Validation;

/// <summary>Checks the metadata every resource has: name, namespace scope, labels and annotations.</summary>
internal static class MetadataValidator
{
    public static void Validate(ValidationContext context, IResource resource, KindInfo kind, bool nameIsSubdomain = true)
    {
        var meta = resource.Metadata;
        if (string.IsNullOrEmpty(meta.Name))
            context.Error("metadata.name", "required");
        else if (nameIsSubdomain)
            Checks.Subdomain(context, "metadata.name", meta.Name);

        if (kind.Namespaced)
            Checks.Label(context, "metadata.namespace", meta.Namespace);
        else if (!string.IsNullOrEmpty(meta.Namespace))
            context.Error("metadata.namespace", $"{kind.Kind} is not namespaced; remove the namespace");

        Checks.Labels(context, "metadata.labels", meta.Labels);
        Checks.Annotations(context, "metadata.annotations", meta.Annotations);
        Checks.Rfc3339(context, "metadata.creationTimestamp", meta.CreationTimestamp);
        Checks.Rfc3339(context, "metadata.deletionTimestamp", meta.DeletionTimestamp);
    }
}
