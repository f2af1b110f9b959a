namespace Tabby.Cli.Bgp;

/// <summary>A named policy in the `tabby bgp run` file: ordered terms, the first match decides, else the default.</summary>
internal sealed class BgpRunPolicy
{
    /// <summary>"accept" or "reject" (the default) for routes no term matches.</summary>
    public string Default { get; set; } = "reject";

    public List<BgpRunTerm> Terms { get; set; } = [];
}
