namespace Tabby.Api.Resources;

/// <summary>Communities to attach when advertising one prefix.</summary>
public sealed class PrefixAdvertisement
{
    public string? Cidr { get; set; }

    public List<string>? Communities { get; set; }
}
