namespace Tabby.Bgp.Session.States;

/// <summary>Idle: no connection; a start connects out (or waits, when passive).</summary>
internal sealed class IdleState : SessionStateHandler
{
    public static IdleState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.Idle;

    public override Task OnStartAsync(BgpSession session)
    {
        if (session.Peer.Passive)
        {
            session.TransitionTo(ActiveState.Instance);
            return Task.CompletedTask;
        }
        session.BeginConnect();
        session.TransitionTo(ConnectState.Instance);
        return Task.CompletedTask;
    }

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            // Between automatic restarts a peer that calls us is welcome: it saves a round of backoff.
            case SessionEvent.Inbound inbound:
                session.CancelTimer(SessionTimer.IdleHold);
                await session.OpenAsync(inbound.Connection).ConfigureAwait(false);
                session.TransitionTo(OpenSentState.Instance);
                break;
            case SessionEvent.Connected stale:
                await stale.Connection.DisposeAsync().ConfigureAwait(false);
                break;
        }
    }
}
