using System.Net.Sockets;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Rib;

/// <summary>Who gets a best path and with which attributes: iBGP split horizon, route reflection (RFC 4456) and the standard eBGP rewrites.</summary>
/// <remarks>
/// Pure functions of the path and the two peers. We act as a reflector for any iBGP peer flagged
/// <see cref="RibPeer.IsRouteReflectorClient"/>; with no clients this is plain full-mesh iBGP.
/// Export policy runs after <see cref="PrepareForPeer"/>, so it sees and may override these defaults.
/// </remarks>
public sealed class RouteReflectionRules
{
    public RouteReflectionRules(uint localAs, uint routerId, uint? clusterId = null)
    {
        LocalAs = localAs;
        RouterId = routerId;
        ClusterId = clusterId ?? routerId;
    }

    public uint LocalAs { get; }
    public uint RouterId { get; }

    /// <summary>The cluster ID; the router ID unless configured (RFC 4456 7).</summary>
    public uint ClusterId { get; }

    /// <summary>
    /// True if a received path must be dropped as a reflection loop: its ORIGINATOR_ID is our router ID,
    /// or its CLUSTER_LIST already holds our cluster ID (RFC 4456 8). Check on receipt, before import policy.
    /// </summary>
    public bool IsLoop(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.OriginatorId == RouterId || attributes.ClusterList.Contains(ClusterId);
    }

    /// <summary>True if a path already carries our AS: accepting it from an eBGP peer would loop (RFC 4271 9.1.2).</summary>
    public bool IsAsPathLoop(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.AsPath?.Contains(LocalAs) == true;
    }

    /// <summary>
    /// False if an eBGP peer's AS_PATH does not start with the peer's AS (RFC 4271 6.3 "enforce first AS").
    /// Route servers are the exception, so callers may skip this check per peer.
    /// </summary>
    public static bool FirstAsMatches(PathAttributes attributes, RibPeer from)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(from);
        return !from.IsExternal || (attributes.AsPath is { } p && p.Segments.Count > 0
            && p.Segments[0].Type == AsPathSegmentType.AsSequence && p.Segments[0].Asns[0] == from.As);
    }

    /// <summary>Whether <paramref name="best"/> is advertised to <paramref name="to"/>.</summary>
    public bool ShouldAdvertise(RibPath best, RibPeer to)
    {
        ArgumentNullException.ThrowIfNull(best);
        return ShouldAdvertise(best.Attributes, best.Peer, to);
    }

    /// <summary>Whether a best path with <paramref name="attributes"/> learned from <paramref name="from"/> is advertised to <paramref name="to"/>.</summary>
    public bool ShouldAdvertise(PathAttributes attributes, RibPeer from, RibPeer to)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (to.Kind == PeerKind.Local)
            return false;
        // Never back to the peer it came from.
        if (from.Equals(to))
            return false;
        var communities = attributes.Communities;
        // RFC 1997 well-known communities.
        if (communities.Contains(Community.NoAdvertise))
            return false;
        if (to.IsExternal)
            return !communities.Contains(Community.NoExport) && !communities.Contains(Community.NoExportSubconfed);
        // Paths we originate or learned over eBGP go to every iBGP peer.
        if (!from.IsInternal)
            return true;
        // The originator would drop it anyway (RFC 4456 8); save the UPDATE.
        if (attributes.OriginatorId == to.RouterId)
            return false;
        // iBGP-learned: from a client, reflect to all iBGP peers; from a non-client, to clients only.
        // With no clients configured this is the plain iBGP split horizon (RFC 4271 9.2).
        return from.IsRouteReflectorClient || to.IsRouteReflectorClient;
    }

    /// <summary>
    /// The attributes to send <paramref name="to"/> before export policy. Reflected paths get
    /// ORIGINATOR_ID (if missing) and our cluster ID prepended to CLUSTER_LIST (RFC 4456 8). eBGP peers
    /// get our AS prepended, LOCAL_PREF/ORIGINATOR_ID/CLUSTER_LIST removed, a foreign MED removed
    /// (RFC 4271 5.1.4) and the next hop set to <paramref name="selfNextHop"/> when given. iBGP peers
    /// get LOCAL_PREF filled in (RFC 4271 5.1.5) and the next hop unchanged.
    /// </summary>
    public PathAttributes PrepareForPeer(RibPath best, RibPeer to, BgpNextHop? selfNextHop = null)
    {
        ArgumentNullException.ThrowIfNull(best);
        return PrepareForPeer(best.Attributes, best.Peer, to, selfNextHop);
    }

    /// <summary>The same, for a best path given as its attributes and the peer it came from.</summary>
    public PathAttributes PrepareForPeer(PathAttributes attributes, RibPeer from, RibPeer to, BgpNextHop? selfNextHop = null)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var a = attributes;
        if (to.IsExternal)
        {
            a = a with
            {
                AsPath = (a.AsPath ?? AsPath.Empty).Prepend(LocalAs),
                LocalPref = null,
                OriginatorId = null,
                ClusterList = default,
                Med = from.Kind == PeerKind.Local ? a.Med : null,
            };
            return selfNextHop is null ? a : WithNextHop(a, selfNextHop);
        }
        a = a with { AsPath = a.AsPath ?? AsPath.Empty, LocalPref = a.LocalPref ?? BestPathSelector.DefaultLocalPref };
        if (from.IsInternal)
        {
            a = a with
            {
                OriginatorId = a.OriginatorId ?? from.RouterId,
                ClusterList = a.ClusterList.Insert(0, ClusterId),
            };
        }
        return a;
    }

    /// <summary>Sets NEXT_HOP for an IPv4 next hop, or the MP_REACH next hop for an IPv6 one.</summary>
    public static PathAttributes WithNextHop(PathAttributes attributes, BgpNextHop nextHop)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(nextHop);
        return nextHop.Global.AddressFamily == AddressFamily.InterNetwork
            ? attributes with { NextHop = nextHop.Global }
            : attributes with { MpNextHop = nextHop };
    }
}
