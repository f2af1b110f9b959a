namespace Tabby.Bgp.Session.States;

/// <summary>Active: waiting for the peer to connect, or for the retry timer to try again.</summary>
internal sealed class ActiveState : SessionStateHandler
{
    public static ActiveState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.Active;

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.TimerFired { Timer: SessionTimer.ConnectRetry } when !session.Peer.Passive:
                session.BeginConnect();
                session.TransitionTo(ConnectState.Instance);
                break;
            case SessionEvent.Inbound inbound:
                await session.OpenAsync(inbound.Connection).ConfigureAwait(false);
                session.TransitionTo(OpenSentState.Instance);
                break;
            case SessionEvent.Connected stale:
                await stale.Connection.DisposeAsync().ConfigureAwait(false);
                break;
        }
    }
}
