namespace Tabby.Api.Resources;

/// <summary>The community an operation adds, <c>aa:nn</c> or <c>aa:nn:mm</c>.</summary>
public sealed class BGPFilterAddCommunity
{
    public string? Value { get; set; }
}
