using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of ClusterInformation: identity and readiness of the datastore.</summary>
public sealed class ClusterInformationSpec
{
    [ApiName("clusterGUID")]
    public string? ClusterGuid { get; set; }

    public string? ClusterType { get; set; }

    public string? CalicoVersion { get; set; }

    public bool? DatastoreReady { get; set; }

    public string? Variant { get; set; }
}
