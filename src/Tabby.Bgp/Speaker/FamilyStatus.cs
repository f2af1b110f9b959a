using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>One address family of one peer, for `tabby bgp status` and metrics.</summary>
/// <param name="PrefixesIn">Routes from the peer in the Loc-RIB now (after import policy; stale ones included).</param>
/// <param name="PrefixesOut">Prefixes advertised to the peer now.</param>
/// <param name="Skipped">Best paths not advertised because the session has no usable next hop for the family (e.g. IPv6 over an IPv4 session).</param>
/// <param name="PeerGracefulRestart">The peer's restart capability lists the family (with its forwarding-state bit, "forwarding"), or not ("no").</param>
public sealed record FamilyStatus(
    BgpFamily Family,
    long PrefixesIn,
    long PrefixesOut,
    int StalePrefixes,
    GracefulRestartState GracefulRestart,
    string PeerGracefulRestart,
    bool EndOfRibReceived,
    bool EndOfRibSent,
    long Skipped);
