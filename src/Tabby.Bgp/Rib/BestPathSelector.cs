using System.Net;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Rib;

/// <summary>BGP best-path selection: RFC 4271 9.1.2.2 plus the usual tie-breakers, as successive eliminations.</summary>
/// <remarks>
/// Each step keeps only the candidates that are best by that criterion, in this order:
/// <list type="number">
/// <item>Highest LOCAL_PREF (a missing one counts as <see cref="DefaultLocalPref"/>; RFC 4271 9.1.1).</item>
/// <item>Shortest AS_PATH (an AS_SET counts 1, confederation segments 0; RFC 4271 9.1.2.2 a).</item>
/// <item>Lowest ORIGIN: IGP, then EGP, then INCOMPLETE (9.1.2.2 b).</item>
/// <item>Lowest MED, compared only among paths from the same neighbouring AS; a missing MED is 0 (9.1.2.2 c).
/// This is why selection eliminates instead of sorting: MED is not a total order across ASes.</item>
/// <item>Locally originated over eBGP over iBGP (9.1.2.2 d, with local routes first as every implementation does).</item>
/// <item>(IGP cost to the next hop, 9.1.2.2 e, is skipped: Tabby's next hops are directly connected.)</item>
/// <item>Lowest router ID: ORIGINATOR_ID when present, else the peer's BGP identifier (9.1.2.2 f, RFC 4456 9).</item>
/// <item>Shortest CLUSTER_LIST (RFC 4456 9).</item>
/// <item>Lowest peer address (9.1.2.2 g).</item>
/// </list>
/// Stale paths (graceful restart) compete like any other: RFC 4724 keeps using them until swept.
/// </remarks>
public static class BestPathSelector
{
    public const uint DefaultLocalPref = 100;

    /// <summary>The best of <paramref name="candidates"/>, or null if there are none.</summary>
    public static RibPath? Select(IReadOnlyList<RibPath> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count <= 1)
            return candidates.Count == 0 ? null : candidates[0];
        return SelectFrom(new List<RibPath>(candidates));
    }

    /// <summary>Span form for the Loc-RIB; a single candidate costs nothing.</summary>
    internal static RibPath? Select(ReadOnlySpan<RibPath> candidates)
    {
        if (candidates.Length <= 1)
            return candidates.Length == 0 ? null : candidates[0];
        var set = new List<RibPath>(candidates.Length);
        foreach (var c in candidates)
            set.Add(c);
        return SelectFrom(set);
    }

    private static RibPath SelectFrom(List<RibPath> set)
    {

        KeepMax(set, p => p.Attributes.LocalPref ?? DefaultLocalPref);
        KeepMin(set, p => (uint)(p.Attributes.AsPath?.Length ?? 0));
        KeepMin(set, p => (uint)(p.Attributes.Origin ?? BgpOrigin.Incomplete));
        KeepLowestMedPerNeighborAs(set);
        KeepMin(set, p => p.Peer.Kind switch { PeerKind.Local => 0u, PeerKind.External => 1u, _ => 2u });
        KeepMin(set, p => p.Attributes.OriginatorId ?? p.Peer.RouterId);
        KeepMin(set, p => (uint)p.Attributes.ClusterList.Count);
        if (set.Count == 1)
            return set[0];
        var best = set[0];
        for (var i = 1; i < set.Count; i++)
        {
            if (CompareAddresses(set[i].Peer.Address, best.Peer.Address) < 0)
                best = set[i];
        }
        return best;
    }

    /// <summary>The neighbouring AS used to decide whether two MEDs are comparable.</summary>
    public static uint NeighborAs(RibPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Attributes.AsPath?.NeighborAs ?? 0;
    }

    /// <summary>Orders addresses IPv4 before IPv6, then bytewise.</summary>
    public static int CompareAddresses(IPAddress a, IPAddress b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out var nx);
        b.TryWriteBytes(y, out var ny);
        return nx != ny ? nx.CompareTo(ny) : x[..nx].SequenceCompareTo(y[..ny]);
    }

    private static void KeepLowestMedPerNeighborAs(List<RibPath> set)
    {
        if (set.Count <= 1)
            return;
        var lowest = new Dictionary<uint, uint>();
        foreach (var p in set)
        {
            var nas = NeighborAs(p);
            var med = p.Attributes.Med ?? 0;
            if (!lowest.TryGetValue(nas, out var m) || med < m)
                lowest[nas] = med;
        }
        set.RemoveAll(p => (p.Attributes.Med ?? 0) > lowest[NeighborAs(p)]);
    }

    private static void KeepMax(List<RibPath> set, Func<RibPath, uint> key)
    {
        if (set.Count <= 1)
            return;
        var best = uint.MinValue;
        foreach (var p in set)
            best = Math.Max(best, key(p));
        set.RemoveAll(p => key(p) != best);
    }

    private static void KeepMin(List<RibPath> set, Func<RibPath, uint> key)
    {
        if (set.Count <= 1)
            return;
        var best = uint.MaxValue;
        foreach (var p in set)
            best = Math.Min(best, key(p));
        set.RemoveAll(p => key(p) != best);
    }
}
