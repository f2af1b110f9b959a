namespace Tabby.Cli.Bgp;

/// <summary>A term's conditions: every non-empty list must have a hit.</summary>
internal sealed class BgpRunMatch
{
    /// <summary>"10.0.0.0/8", "10.0.0.0/8 ge 24", "10.0.0.0/8 le 24", "10.0.0.0/8 ge 24 le 28".</summary>
    public List<string> Prefixes { get; set; } = [];

    /// <summary>"65000:100" or a well-known name such as "no-export".</summary>
    public List<string> Communities { get; set; } = [];

    /// <summary>"65000:1:2".</summary>
    public List<string> LargeCommunities { get; set; } = [];

    /// <summary>"ipv4" or "ipv6"; any when absent.</summary>
    public string? Family { get; set; }
}
