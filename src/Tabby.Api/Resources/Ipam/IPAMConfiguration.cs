namespace Tabby.Api.Resources;

/// <summary>Cluster-wide IPAM settings (the one object is named <c>default</c>).</summary>
public sealed class IPAMConfiguration : Resource<IPAMConfigurationSpec>
{
    public override string Kind => "IPAMConfiguration";
}
