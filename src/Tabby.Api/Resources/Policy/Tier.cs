namespace Tabby.Api.Resources;

/// <summary>An ordered group of policies.</summary>
public sealed class Tier : Resource<TierSpec>
{
    public override string Kind => "Tier";

    public TierStatus? Status { get; set; }
}
