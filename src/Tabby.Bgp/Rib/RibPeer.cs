using System.Net;

namespace Tabby.Bgp.Rib;

/// <summary>The facts about a peer that route selection and reflection need; identified by its address.</summary>
/// <remarks>
/// Equality and hashing use <see cref="Address"/> only, so a peer that reconnects with a new router ID
/// or client flag is still the same peer to the RIB (its old and stale paths are found and replaced).
/// </remarks>
/// <param name="Address">The peer's transport address (the final best-path tie-breaker).</param>
/// <param name="RouterId">The peer's BGP identifier, host order.</param>
/// <param name="As">The peer's AS (for eBGP) or ours (for iBGP).</param>
/// <param name="IsRouteReflectorClient">This iBGP peer is our route-reflector client (RFC 4456).</param>
public sealed record RibPeer(IPAddress Address, uint RouterId, uint As, PeerKind Kind, bool IsRouteReflectorClient = false)
{
    /// <summary>The pseudo-peer that owns locally originated routes.</summary>
    public static RibPeer Local(uint routerId, uint localAs) => new(IPAddress.Any, routerId, localAs, PeerKind.Local);

    public bool IsInternal => Kind == PeerKind.Internal;

    public bool Equals(RibPeer? other) => other is not null && Address.Equals(other.Address);

    public override int GetHashCode() => Address.GetHashCode();
    public bool IsExternal => Kind == PeerKind.External;

    public override string ToString() => Kind == PeerKind.Local ? "local" : $"{Address} (AS{As}, {Kind}{(IsRouteReflectorClient ? ", rr-client" : "")})";
}
