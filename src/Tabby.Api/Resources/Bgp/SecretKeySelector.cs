namespace Tabby.Api.Resources;

/// <summary>A key of a Kubernetes Secret (in the node agent's namespace).</summary>
public sealed class SecretKeySelector
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public bool? Optional { get; set; }
}
