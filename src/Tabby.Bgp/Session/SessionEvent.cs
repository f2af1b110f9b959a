using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>Everything that can happen to a session, queued and handled one at a time by its loop.</summary>
internal abstract record SessionEvent
{
    /// <summary>Administrative start (RFC 4271 event 1/4/5).</summary>
    public sealed record Start : SessionEvent;

    /// <summary>Administrative stop: send a Cease (unless <paramref name="Notify"/> is false) and stay down.</summary>
    public sealed record Stop(CeaseSubcode Reason, bool Notify = true) : SessionEvent;

    /// <summary>A local failure (the export writer's): Cease the session and let it come back.</summary>
    public sealed record Reset(string Reason) : SessionEvent;

    /// <summary>Completes once every event queued before it has been handled: lets tests check what did not happen.</summary>
    public sealed record Probe(TaskCompletionSource Done) : SessionEvent;

    /// <summary>A timer fired; the generation tells a live timer from one already re-armed or cancelled.</summary>
    public sealed record TimerFired(SessionTimer Timer, int Generation) : SessionEvent;

    public sealed record Connected(BgpConnection Connection, int Attempt) : SessionEvent;

    public sealed record ConnectFailed(int Attempt, string Reason) : SessionEvent;

    /// <summary>The speaker accepted a connection from this peer's address.</summary>
    public sealed record Inbound(BgpConnection Connection) : SessionEvent;

    public sealed record Received(BgpConnection Connection, BgpMessage Message) : SessionEvent;

    public sealed record DecodeFailed(BgpConnection Connection, BgpWireException Error) : SessionEvent;

    public sealed record Closed(BgpConnection Connection, string Reason) : SessionEvent;
}
