namespace Tabby.Cli.Bgp;

/// <summary>A term's rewrites on accept.</summary>
internal sealed class BgpRunSet
{
    public uint? LocalPref { get; set; }
    public uint? Med { get; set; }
    public List<string>? Communities { get; set; }
    public List<string> AddCommunities { get; set; } = [];
    public List<string> RemoveCommunities { get; set; } = [];
    public List<string> AddLargeCommunities { get; set; } = [];
    public List<string> RemoveLargeCommunities { get; set; } = [];

    /// <summary>How many times to prepend <see cref="PrependAs"/> (our AS when absent).</summary>
    public int Prepend { get; set; }

    public uint? PrependAs { get; set; }

    /// <summary>"self" or "keep".</summary>
    public string? NextHop { get; set; }
}
