namespace Tabby.Bgp.Speaker;

/// <summary>Where one family of a peer stands in graceful restart as the receiving speaker (RFC 4724 4.2).</summary>
public enum GracefulRestartState
{
    /// <summary>No stale routes: the family is in its normal state.</summary>
    None,

    /// <summary>The session is down and the family's routes are kept as stale until the peer's restart time runs out.</summary>
    Retained,

    /// <summary>The session is back; the family's stale routes go at its End-of-RIB, or when the stale-path time runs out.</summary>
    AwaitingEndOfRib,
}
