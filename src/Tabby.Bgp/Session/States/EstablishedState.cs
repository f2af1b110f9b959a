using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session.States;

/// <summary>Established: UPDATEs and route refreshes flow; keepalives keep the hold timer from expiring.</summary>
internal sealed class EstablishedState : SessionStateHandler
{
    public static EstablishedState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.Established;

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.Received { Message: BgpUpdate update }:
                session.Deliver(update);
                return;
            case SessionEvent.Received { Message: BgpKeepalive }:
                return;
            case SessionEvent.Received { Message: BgpRouteRefresh refresh }:
                session.DeliverRouteRefresh(refresh.Family);
                return;
            case SessionEvent.TimerFired { Timer: SessionTimer.Keepalive }:
                await session.Current!.SendAsync(BgpKeepalive.Instance).ConfigureAwait(false);
                return;
            case SessionEvent.Inbound inbound when session.Negotiated?.PeerGracefulRestart is not null && !session.JustEstablishedOutbound():
                // RFC 4724 4.2: a peer that can restart gracefully and calls again has restarted.
                await session.ReplaceRestartedPeerAsync(inbound.Connection).ConfigureAwait(false);
                return;
            case SessionEvent.Inbound inbound:
                // RFC 4271 6.8: otherwise a new connection while Established loses the collision. That includes the
                // peer's own call crossing ours just as ours came up: taken for a restart, it closed the connection the
                // peer had just established on, while the peer closed the one kept here, and both sessions flapped.
                await session.RefuseCollidingAsync(inbound.Connection).ConfigureAwait(false);
                return;
        }
        if (HandleCommon(session, e) is { } common)
            await common.ConfigureAwait(false);
        else
            await Unexpected(session, e, 3).ConfigureAwait(false); // 3: unexpected message in Established
    }
}
