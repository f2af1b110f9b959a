namespace Tabby.Bgp.Session;

/// <summary>The session's timers (RFC 4271 10), plus the idle hold that spaces automatic restarts.</summary>
internal enum SessionTimer
{
    ConnectRetry,
    Hold,
    Keepalive,
    IdleHold,
}
