namespace Tabby.Api.Resources;

/// <summary>Per-state conntrack timeouts for the BPF dataplane (durations, or <c>Auto</c>).</summary>
public sealed class BpfConntrackTimeouts
{
    public string? CreationGracePeriod { get; set; }

    public string? TcpSynSent { get; set; }

    public string? TcpEstablished { get; set; }

    public string? TcpFinsSeen { get; set; }

    public string? TcpResetSeen { get; set; }

    public string? UdpTimeout { get; set; }

    public string? GenericTimeout { get; set; }

    public string? IcmpTimeout { get; set; }
}
