namespace Tabby.Api.Resources;

/// <summary>A cluster-wide, labelled set of networks.</summary>
public sealed class GlobalNetworkSet : Resource<NetworkSetSpec>
{
    public override string Kind => "GlobalNetworkSet";
}
