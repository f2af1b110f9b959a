namespace Tabby.Api.Resources;

/// <summary>Namespaced, ordered policy that selects endpoints in its namespace.</summary>
public sealed class NetworkPolicy : Resource<NetworkPolicySpec>
{
    public override string Kind => "NetworkPolicy";
}
