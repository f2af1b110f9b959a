namespace Tabby.Api.Resources;

/// <summary>The source or destination half of a rule.</summary>
public sealed class EntityRule
{
    public List<string>? Nets { get; set; }

    public string? Selector { get; set; }

    public string? NamespaceSelector { get; set; }

    public ServiceMatch? Services { get; set; }

    public List<Port>? Ports { get; set; }

    public List<string>? NotNets { get; set; }

    public string? NotSelector { get; set; }

    public List<Port>? NotPorts { get; set; }

    public ServiceAccountMatch? ServiceAccounts { get; set; }
}
