namespace Tabby.Cli.Bgp;

/// <summary>One neighbour in the `tabby bgp run` YAML file.</summary>
internal sealed class BgpRunPeer
{
    public string Address { get; set; } = string.Empty;
    public uint As { get; set; }
    public int Port { get; set; } = 179;
    public string? LocalAddress { get; set; }
    public bool Passive { get; set; }
    public ushort HoldTime { get; set; } = 90;
    public string? Password { get; set; }
    public int? Ttl { get; set; }
    public bool RouteReflectorClient { get; set; }
    public bool NextHopSelf { get; set; }
    public bool GracefulRestart { get; set; } = true;

    /// <summary>Advertise the RFC 8538 N bit.</summary>
    public bool GracefulRestartNotification { get; set; } = true;

    public bool EnforceFirstAs { get; set; } = true;

    /// <summary>"ipv4" and/or "ipv6"; default ipv4.</summary>
    public List<string> Families { get; set; } = ["ipv4"];

    /// <summary>Seconds before the first reconnect; doubles on each failure up to <see cref="MaxConnectRetry"/>.</summary>
    public double ConnectRetry { get; set; } = 1;

    public double MaxConnectRetry { get; set; } = 30;

    /// <summary>The name of a policy under `policies` run on routes from this peer.</summary>
    public string? Import { get; set; }

    /// <summary>The name of a policy under `policies` run on routes to this peer.</summary>
    public string? Export { get; set; }
}
