namespace Tabby.Cli.Bgp;

/// <summary>The YAML file of `tabby bgp run`: a standalone speaker for tests, benchmarks and route servers.</summary>
internal sealed class BgpRunConfig
{
    public string RouterId { get; set; } = string.Empty;
    public uint As { get; set; }

    /// <summary>"address:port", "address" (port 179), or "none" to only connect out.</summary>
    public string Listen { get; set; } = "0.0.0.0:179";

    public string? ClusterId { get; set; }
    public ushort RestartTime { get; set; } = 120;
    public List<BgpRunPeer> Peers { get; set; } = [];
    public List<string> Originate { get; set; } = [];
}
