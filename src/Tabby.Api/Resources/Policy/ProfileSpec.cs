namespace Tabby.Api.Resources;

/// <summary>The spec of a Profile: rules and labels applied to the endpoints that name it.</summary>
public sealed class ProfileSpec
{
    public List<Rule>? Ingress { get; set; }

    public List<Rule>? Egress { get; set; }

    public Dictionary<string, string>? LabelsToApply { get; set; }
}
