using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session.States;

/// <summary>OpenConfirm: OPENs agree; the peer's first KEEPALIVE completes the session.</summary>
internal sealed class OpenConfirmState : SessionStateHandler
{
    public static OpenConfirmState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.OpenConfirm;

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.Received { Message: BgpKeepalive }:
                session.TransitionTo(EstablishedState.Instance);
                session.EnterEstablished(session.Pending!);
                return;
            case SessionEvent.TimerFired { Timer: SessionTimer.Keepalive }:
                await session.Current!.SendAsync(BgpKeepalive.Instance).ConfigureAwait(false);
                return;
            case SessionEvent.Inbound inbound:
                await session.TakeContenderAsync(inbound.Connection).ConfigureAwait(false);
                return;
        }
        if (HandleCommon(session, e) is { } common)
            await common.ConfigureAwait(false);
        else
            await Unexpected(session, e, 2).ConfigureAwait(false); // 2: unexpected message in OpenConfirm
    }
}
