namespace Tabby.Api.Resources;

/// <summary>The communities a BGP filter rule matches (Calico allows exactly one value for now).</summary>
public sealed class BGPFilterCommunityMatch
{
    public List<string>? Values { get; set; }
}
