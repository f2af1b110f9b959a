namespace Tabby.Api.Resources;

/// <summary>A Kubernetes Service a rule matches, by name and namespace.</summary>
public sealed class ServiceMatch
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }
}
