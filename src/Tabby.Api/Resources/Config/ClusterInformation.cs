namespace Tabby.Api.Resources;

/// <summary>Cluster identity and the datastore-ready flag (one object, named <c>default</c>).</summary>
public sealed class ClusterInformation : Resource<ClusterInformationSpec>
{
    public override string Kind => "ClusterInformation";
}
