using Tabby.Bgp.Policy;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>Work for the speaker's RIB loop; everything that touches the RIB goes through it, in order.</summary>
internal abstract record SpeakerWork
{
    public sealed record PeerUp(PeerRuntime Peer, NegotiatedSession Negotiated) : SpeakerWork;

    public sealed record PeerDown(PeerRuntime Peer, SessionEnd End) : SpeakerWork;

    public sealed record Update(PeerRuntime Peer, BgpUpdate Message) : SpeakerWork;

    public sealed record Refresh(PeerRuntime Peer, BgpFamily Family) : SpeakerWork;

    public sealed record Originate(IpPrefix Prefix, PathAttributes Attributes) : SpeakerWork;

    public sealed record Withdraw(IpPrefix Prefix) : SpeakerWork;

    /// <summary>The peer's restart time ran out before its session came back (RFC 4724 4.2).</summary>
    public sealed record RestartTimerExpired(PeerRuntime Peer, int Generation) : SpeakerWork;

    /// <summary>The session came back but End-of-RIB did not, within the stale-path time.</summary>
    public sealed record StaleTimerExpired(PeerRuntime Peer, int Generation) : SpeakerWork;

    public sealed record RemovePeer(PeerRuntime Peer) : SpeakerWork;

    /// <summary>New import and export policies for a peer, applied without resetting its session.</summary>
    public sealed record Policies(PeerRuntime Peer, IRoutePolicy? Import, IRoutePolicy? Export) : SpeakerWork;

    /// <summary>Runs a read of RIB state on the loop, so callers see a consistent snapshot.</summary>
    public sealed record Query(Action Read) : SpeakerWork;
}
