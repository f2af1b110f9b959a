using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session.States;

/// <summary>OpenSent: our OPEN is out; the peer's decides whether we go on.</summary>
internal sealed class OpenSentState : SessionStateHandler
{
    public static OpenSentState Instance { get; } = new();

    public override BgpSessionState Kind => BgpSessionState.OpenSent;

    public override async Task HandleAsync(BgpSession session, SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.Received { Message: BgpOpen open } r:
                NegotiatedSession negotiated;
                try
                {
                    negotiated = session.Negotiate(r.Connection, open);
                }
                catch (BgpWireException error)
                {
                    await session.DropToIdleAsync($"refused the peer's OPEN: {error.Message}", error.ToNotification(), received: null).ConfigureAwait(false);
                    return;
                }
                session.Pending = negotiated;
                await r.Connection.SendAsync(BgpKeepalive.Instance).ConfigureAwait(false);
                session.ArmNegotiatedTimers(negotiated.HoldTime);
                session.TransitionTo(OpenConfirmState.Instance);
                return;
            case SessionEvent.Inbound inbound:
                await session.TakeContenderAsync(inbound.Connection).ConfigureAwait(false);
                return;
        }
        if (HandleCommon(session, e) is { } common)
            await common.ConfigureAwait(false);
        else
            await Unexpected(session, e, 1).ConfigureAwait(false); // 1: unexpected message in OpenSent (RFC 6608)
    }
}
