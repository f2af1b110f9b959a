namespace Tabby.Api.Resources;

/// <summary>What Calico's controllers report about a tier.</summary>
public sealed class TierStatus
{
    public List<Condition>? Conditions { get; set; }
}
