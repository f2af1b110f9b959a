namespace Tabby.Api.Resources;

/// <summary>A Kubernetes status condition (metav1.Condition), kept so exported objects read back unchanged.</summary>
public sealed class Condition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public long? ObservedGeneration { get; set; }

    public string? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
