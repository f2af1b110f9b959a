using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>One import or export filter rule (the same shape serves IPv4 and IPv6).</summary>
public sealed class BGPFilterRule
{
    public string? Cidr { get; set; }

    public BGPFilterPrefixLength? PrefixLength { get; set; }

    public string? Source { get; set; }

    public string? Interface { get; set; }

    public string? MatchOperator { get; set; }

    public string? PeerType { get; set; }

    public BGPFilterCommunityMatch? Communities { get; set; }

    public List<AsNumber>? AsPathPrefix { get; set; }

    public int? Priority { get; set; }

    [AlwaysEmit]
    public string? Action { get; set; }

    public List<BGPFilterOperation>? Operations { get; set; }
}
