namespace Tabby.Api.Resources;

/// <summary>A named BGP community value: <c>aa:nn</c> (standard) or <c>aa:nn:mm</c> (large).</summary>
public sealed class Community
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
