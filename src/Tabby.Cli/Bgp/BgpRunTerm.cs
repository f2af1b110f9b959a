namespace Tabby.Cli.Bgp;

/// <summary>One policy term: conditions, accept or reject, and rewrites on accept.</summary>
internal sealed class BgpRunTerm
{
    public string? Name { get; set; }
    public BgpRunMatch Match { get; set; } = new();

    /// <summary>"accept" or "reject".</summary>
    public string Action { get; set; } = "accept";

    public BgpRunSet? Set { get; set; }
}
