using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>What a session tells its owner (the speaker); called from the session's loop, so it must not block.</summary>
public interface ISessionListener
{
    void SessionEstablished(BgpSession session, NegotiatedSession negotiated);

    void UpdateReceived(BgpSession session, BgpUpdate update);

    void RouteRefreshReceived(BgpSession session, BgpFamily family);

    /// <summary>The session left Established; <paramref name="end"/> says why and whether the peer's routes are kept as stale.</summary>
    void SessionDown(BgpSession session, SessionEnd end);
}
