using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>Why an Established session ended, and whether the peer's routes are kept (graceful restart, RFC 4724 and RFC 8538).</summary>
/// <param name="Reason">What happened, for logs and status.</param>
/// <param name="PeerMayRestart">The peer negotiated graceful restart and the way the session ended keeps its routes as stale: a lost connection, or (when both sides sent the N bit) any NOTIFICATION but a Hard Reset.</param>
/// <param name="Sent">The NOTIFICATION we sent, if any.</param>
/// <param name="Received">The NOTIFICATION the peer sent, if any.</param>
public sealed record SessionEnd(string Reason, bool PeerMayRestart, BgpNotification? Sent = null, BgpNotification? Received = null);
