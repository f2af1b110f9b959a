namespace Tabby.Api.Resources;

/// <summary>The spec of a Tier: its order and what happens to traffic no policy in it decides.</summary>
public sealed class TierSpec
{
    public double? Order { get; set; }

    public string? DefaultAction { get; set; }
}
