namespace Tabby.Api.Resources;

/// <summary>What Calico's controllers report about an IP pool.</summary>
public sealed class IPPoolStatus
{
    public List<Condition>? Conditions { get; set; }
}
