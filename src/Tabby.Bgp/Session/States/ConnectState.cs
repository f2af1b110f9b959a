namespace Tabby.Bgp.Session.States;

/// <summary>Connect: a TCP connection attempt is under way.</summary>
internal sealed class ConnectState : SessionStateHandler
{
    public static ConnectState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.Connect;

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.Connected c when session.IsCurrentAttempt(c.Attempt):
                await session.OpenAsync(c.Connection).ConfigureAwait(false);
                session.TransitionTo(OpenSentState.Instance);
                break;
            case SessionEvent.Connected stale:
                await stale.Connection.DisposeAsync().ConfigureAwait(false);
                break;
            case SessionEvent.ConnectFailed f when session.IsCurrentAttempt(f.Attempt):
                // Wait in Active for the retry timer (or for the peer to call us), longer after each failure.
                session.ConnectFailed(f.Reason);
                session.TransitionTo(ActiveState.Instance);
                break;
            case SessionEvent.TimerFired { Timer: SessionTimer.ConnectRetry }:
                session.ConnectTimedOut();
                break;
            case SessionEvent.Inbound inbound:
                await session.OpenAsync(inbound.Connection).ConfigureAwait(false);
                session.TransitionTo(OpenSentState.Instance);
                break;
        }
    }
}
