namespace Tabby.Api.Resources;

/// <summary>A namespaced, labelled set of networks.</summary>
public sealed class NetworkSet : Resource<NetworkSetSpec>
{
    public override string Kind => "NetworkSet";
}
