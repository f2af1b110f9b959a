using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session.States;

/// <summary>One state of the FSM: how it reacts to each event. States are stateless singletons; the session holds the data.</summary>
internal abstract class SessionStateHandler
{
    public abstract BgpSessionState Kind { get; }

    /// <summary>Administrative or automatic start; only Idle reacts.</summary>
    public virtual Task OnStartAsync(BgpSession session) => Task.CompletedTask;

    public abstract Task HandleAsync(BgpSession session, SessionEvent e);

    /// <summary>The reactions every state with a connection shares: errors, NOTIFICATIONs, loss of the connection, hold expiry.</summary>
    protected static Task? HandleCommon(BgpSession session, SessionEvent e) => e switch
    {
        SessionEvent.DecodeFailed d => session.DropToIdleAsync($"malformed message: {d.Error.Message}", d.Error.ToNotification(), received: null),
        SessionEvent.Received { Message: BgpNotification n } => session.NotificationReceivedAsync(n),
        SessionEvent.Closed c => session.DropToIdleAsync($"connection lost: {c.Reason}", sent: null, received: null),
        SessionEvent.TimerFired { Timer: SessionTimer.Hold } => session.DropToIdleAsync("hold timer expired", new BgpNotification(BgpErrorCode.HoldTimerExpired, 0), received: null),
        SessionEvent.Connected stale => stale.Connection.DisposeAsync().AsTask(),
        SessionEvent.ConnectFailed => Task.CompletedTask,
        _ => null,
    };

    /// <summary>RFC 4271 6.6: a message the state cannot take is a Finite State Machine Error.</summary>
    protected static Task Unexpected(BgpSession session, SessionEvent e, byte subcode) =>
        e is SessionEvent.Received r
            ? session.DropToIdleAsync($"unexpected {r.Message.Type} in {session.State}", new BgpNotification(BgpErrorCode.FiniteStateMachine, subcode), received: null)
            : Task.CompletedTask;
}
