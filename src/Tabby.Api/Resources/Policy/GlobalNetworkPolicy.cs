namespace Tabby.Api.Resources;

/// <summary>Cluster-wide ordered policy, which can also apply to host endpoints.</summary>
public sealed class GlobalNetworkPolicy : Resource<GlobalNetworkPolicySpec>
{
    public override string Kind => "GlobalNetworkPolicy";
}
