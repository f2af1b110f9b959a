namespace Tabby.Api.Resources;

/// <summary>The spec of a cluster-wide GlobalNetworkPolicy.</summary>
public sealed class GlobalNetworkPolicySpec
{
    public string? Tier { get; set; }

    public double? Order { get; set; }

    public List<Rule>? Ingress { get; set; }

    public List<Rule>? Egress { get; set; }

    public string? Selector { get; set; }

    public List<string>? Types { get; set; }

    public bool DoNotTrack { get; set; }

    [Serialization.Binding.ApiName("preDNAT")]
    public bool PreDnat { get; set; }

    public bool ApplyOnForward { get; set; }

    public string? ServiceAccountSelector { get; set; }

    public string? NamespaceSelector { get; set; }

    public List<string>? PerformanceHints { get; set; }
}
