using System.Net;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Config;

/// <summary>One configured neighbour: who it is, how to reach it, and what to exchange with it.</summary>
public sealed record BgpPeerConfig(IPAddress Address, uint RemoteAs)
{
    /// <summary>The address to connect from; null lets the kernel choose.</summary>
    public IPAddress? LocalAddress { get; init; }

    public int Port { get; init; } = 179;

    /// <summary>Never connect out; wait for the neighbour (useful behind a reflector or for many clients).</summary>
    public bool Passive { get; init; }

    /// <summary>Proposed hold time in seconds (0 or at least 3); the smaller of both sides wins.</summary>
    public ushort HoldTime { get; init; } = 90;

    /// <summary>TCP MD5 signature key (RFC 2385); null for none.</summary>
    public string? Password { get; init; }

    /// <summary>IP TTL for the session: 1 for directly connected eBGP, more for multihop; null keeps the OS default.</summary>
    public int? Ttl { get; init; }

    public bool RouteReflectorClient { get; init; }

    public IReadOnlyList<BgpFamily> Families { get; init; } = [BgpFamily.Ipv4Unicast];

    /// <summary>Advertise graceful restart (RFC 4724) so the neighbour keeps our routes while we restart.</summary>
    public bool GracefulRestart { get; init; } = true;

    /// <summary>The restart time announced to this peer in the graceful restart capability (how long it keeps our
    /// routes after we go away, seconds); null: the speaker's. Calico sets it per BGPPeer (maxRestartTime), as BIRD's
    /// per-protocol <c>graceful restart time</c>.</summary>
    public ushort? RestartTime { get; init; }

    /// <summary>Advertise the N bit (RFC 8538): when both sides do, a NOTIFICATION (other than a Hard Reset) or a hold-timer expiry keeps routes as stale instead of flushing them.</summary>
    public bool GracefulRestartNotification { get; init; } = true;

    /// <summary>Runs on every route the peer sends, before it enters the Loc-RIB; rejected routes are treated as withdrawn.</summary>
    public IRoutePolicy? Import { get; init; }

    /// <summary>Runs on every best path about to be sent to the peer, after the speaker's own rewrites (next hop, AS_PATH, reflection).</summary>
    public IRoutePolicy? Export { get; init; }

    /// <summary>Treat routes from an eBGP peer whose AS_PATH does not start with the peer's AS as withdrawn (RFC 4271 6.3, RFC 7606 7.2); off for route servers.</summary>
    public bool EnforceFirstAs { get; init; } = true;

    /// <summary>Replace the next hop with our own address on export (iBGP routes learned from eBGP, hosts announcing blocks).</summary>
    public bool NextHopSelf { get; init; }

    /// <summary>First retry delay after a failed connection; doubles up to <see cref="MaxConnectRetry"/>.</summary>
    public TimeSpan ConnectRetry { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxConnectRetry { get; init; } = TimeSpan.FromSeconds(30);

    public override string ToString() => $"{Address} AS{RemoteAs}";
}
