using System.Net;

namespace Tabby.Lab.Daemons;

/// <summary>A BGP neighbour in a daemon's configuration.</summary>
public sealed record BgpNeighborSpec(IPAddress Address, uint RemoteAs)
{
    public bool RouteReflectorClient { get; init; }
    public bool Passive { get; init; }
    public string? Password { get; init; }
    public int Port { get; init; } = 179;

    /// <summary>The neighbour is not on a shared segment but routed (BIRD: `multihop` instead of `direct`).</summary>
    public bool Multihop { get; init; }

    /// <summary>BIRD only: import just the routes inside this prefix, so the protocol's "imported" count is exactly those.</summary>
    public Tabby.Core.Addressing.IpPrefix? ImportOnly { get; init; }

    /// <summary>
    /// False makes the daemon speak 2-octet AS on this session (RFC 6793 "OLD" speaker). FRR: no capabilities at all
    /// (dont-capability-negotiate). BIRD: `enable as4 off`, but BIRD still takes the AS from the peer's AS4 capability
    /// and refuses a neighbour AS above 65535 then, so it cannot peer with a 4-octet AS this way.
    /// </summary>
    public bool FourOctetAs { get; init; } = true;

    /// <summary>Announce routes learned over eBGP with this router as the next hop (a top-of-rack towards its hosts).</summary>
    public bool NextHopSelf { get; init; }

    /// <summary>Send this neighbour a default route and nothing else (the "downward default" design).</summary>
    public bool DefaultOnly { get; init; }
}
