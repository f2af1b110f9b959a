namespace Tabby.Api.Resources;

/// <summary>The prefix-length window a BGP filter rule also requires.</summary>
public sealed class BGPFilterPrefixLength
{
    public int? Min { get; set; }

    public int? Max { get; set; }
}
