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

    /// <summary>Seconds a returned peer's stale routes wait for its End-of-RIB at most.</summary>
    public double StalePathTime { get; set; } = 360;

    /// <summary>This host's addresses: routes coming back with one of them as next hop are dropped.</summary>
    public List<string> LocalAddresses { get; set; } = [];

    /// <summary>
    /// The scheduler slice the speaker's threads ask for, in microseconds (100 to 100,000; Linux 6.12 on): shorter than
    /// the default, a woken speaker preempts what runs on its core and passes a route on at once. 0 leaves the
    /// kernel's default.
    /// </summary>
    public int SchedulerSliceMicroseconds { get; set; } = 100;

    /// <summary>"address:port" for a Prometheus endpoint (http://ADDRESS:PORT/metrics); none when absent.</summary>
    public string? Metrics { get; set; }

    public List<BgpRunPeer> Peers { get; set; } = [];
    public List<string> Originate { get; set; } = [];

    /// <summary>Named import/export policies that peers refer to by name.</summary>
    public Dictionary<string, BgpRunPolicy> Policies { get; set; } = [];
}
