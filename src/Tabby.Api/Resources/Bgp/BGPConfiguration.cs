namespace Tabby.Api.Resources;

/// <summary>Cluster-wide or per-node BGP settings.</summary>
public sealed class BGPConfiguration : Resource<BGPConfigurationSpec>
{
    public override string Kind => "BGPConfiguration";
}
