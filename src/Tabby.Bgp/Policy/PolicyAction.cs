namespace Tabby.Bgp.Policy;

/// <summary>What a matching policy term (or the default) decides for a route.</summary>
public enum PolicyAction
{
    Accept,
    Reject,
}
