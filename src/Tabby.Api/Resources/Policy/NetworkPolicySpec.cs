namespace Tabby.Api.Resources;

/// <summary>The spec of a namespaced NetworkPolicy.</summary>
public sealed class NetworkPolicySpec
{
    public string? Tier { get; set; }

    public double? Order { get; set; }

    public List<Rule>? Ingress { get; set; }

    public List<Rule>? Egress { get; set; }

    public string? Selector { get; set; }

    public List<string>? Types { get; set; }

    public string? ServiceAccountSelector { get; set; }

    public List<string>? PerformanceHints { get; set; }
}
