using System.Net;
using System.Text;

namespace Tabby.Bgp.Wire;

/// <summary>An immutable, hashable set of path attributes shared by every prefix announced with it.</summary>
/// <remarks>
/// MP_REACH_NLRI's next hop is held here (<see cref="MpNextHop"/>) rather than in the message so a
/// route is one (prefix, attributes) pair whatever its family. AS4_PATH and AS4_AGGREGATOR never
/// appear: the decoder merges them into <see cref="AsPath"/> and <see cref="Aggregator"/>, and the
/// encoder recreates them for 2-octet peers. Equality is by value and the hash is cached, so the RIB
/// can intern sets with a dictionary and compare interned sets by reference.
/// </remarks>
public sealed record PathAttributes
{
    private int _hash;

    public PathAttributes()
    {
    }

    // The compiler's copy constructor would copy the cached hash into a `with` result whose
    // content differs; this one leaves it to be recomputed.
    private PathAttributes(PathAttributes original)
    {
        Origin = original.Origin;
        AsPath = original.AsPath;
        NextHop = original.NextHop;
        MpNextHop = original.MpNextHop;
        Med = original.Med;
        LocalPref = original.LocalPref;
        AtomicAggregate = original.AtomicAggregate;
        Aggregator = original.Aggregator;
        Communities = original.Communities;
        OriginatorId = original.OriginatorId;
        ClusterList = original.ClusterList;
        LargeCommunities = original.LargeCommunities;
        Unknown = original.Unknown;
    }

    public static PathAttributes Empty { get; } = new();

    public BgpOrigin? Origin { get; init; }
    public AsPath? AsPath { get; init; }

    /// <summary>The NEXT_HOP attribute (IPv4 NLRI in the UPDATE's own NLRI field).</summary>
    public IPAddress? NextHop { get; init; }

    /// <summary>The next hop of MP_REACH_NLRI (IPv6 NLRI, or IPv4 carried in MP_REACH).</summary>
    public BgpNextHop? MpNextHop { get; init; }

    public uint? Med { get; init; }
    public uint? LocalPref { get; init; }
    public bool AtomicAggregate { get; init; }
    public Aggregator? Aggregator { get; init; }
    public ValueList<Community> Communities { get; init; }

    /// <summary>ORIGINATOR_ID (RFC 4456) as a host-order router ID.</summary>
    public uint? OriginatorId { get; init; }

    /// <summary>CLUSTER_LIST (RFC 4456), most recent reflector first.</summary>
    public ValueList<uint> ClusterList { get; init; }

    public ValueList<LargeCommunity> LargeCommunities { get; init; }

    /// <summary>Unrecognised optional transitive attributes, in the order received.</summary>
    public ValueList<RawAttribute> Unknown { get; init; }

    /// <summary>The next hop for a prefix of the given family: MP_REACH's for IPv6 (or when NEXT_HOP is absent), else NEXT_HOP.</summary>
    public IPAddress? NextHopFor(bool ipv6) => ipv6 ? MpNextHop?.Global : NextHop ?? MpNextHop?.Global;

    public bool Equals(PathAttributes? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || GetHashCode() != other.GetHashCode())
            return false;
        return Origin == other.Origin
            && Equals(AsPath, other.AsPath)
            && Equals(NextHop, other.NextHop)
            && Equals(MpNextHop, other.MpNextHop)
            && Med == other.Med
            && LocalPref == other.LocalPref
            && AtomicAggregate == other.AtomicAggregate
            && Equals(Aggregator, other.Aggregator)
            && Communities.Equals(other.Communities)
            && OriginatorId == other.OriginatorId
            && ClusterList.Equals(other.ClusterList)
            && LargeCommunities.Equals(other.LargeCommunities)
            && Unknown.Equals(other.Unknown);
    }

    public override int GetHashCode()
    {
        if (_hash != 0)
            return _hash;
        var h = new HashCode();
        h.Add(Origin);
        h.Add(AsPath);
        h.Add(NextHop);
        h.Add(MpNextHop);
        h.Add(Med);
        h.Add(LocalPref);
        h.Add(AtomicAggregate);
        h.Add(Aggregator);
        h.Add(Communities);
        h.Add(OriginatorId);
        h.Add(ClusterList);
        h.Add(LargeCommunities);
        h.Add(Unknown);
        var v = h.ToHashCode();
        // 0 means "not computed yet"; remap so a set that hashes to 0 is not recomputed each time.
        _hash = v == 0 ? 1 : v;
        return _hash;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        var parts = new List<string>();
        if (Origin is { } o) parts.Add($"origin={o}");
        if (AsPath is { } p) parts.Add($"as-path=[{p}]");
        if (NextHop is { } nh) parts.Add($"next-hop={nh}");
        if (MpNextHop is { } mp) parts.Add($"mp-next-hop={mp}");
        if (Med is { } med) parts.Add($"med={med}");
        if (LocalPref is { } lp) parts.Add($"local-pref={lp}");
        if (AtomicAggregate) parts.Add("atomic-aggregate");
        if (Aggregator is { } ag) parts.Add($"aggregator={ag.As}/{ag.Address}");
        if (!Communities.IsEmpty) parts.Add($"communities={Communities}");
        if (OriginatorId is { } oid) parts.Add($"originator-id={oid}");
        if (!ClusterList.IsEmpty) parts.Add($"cluster-list={ClusterList}");
        if (!LargeCommunities.IsEmpty) parts.Add($"large-communities={LargeCommunities}");
        if (!Unknown.IsEmpty) parts.Add($"unknown={Unknown.Count}");
        builder.Append(string.Join(", ", parts));
        return true;
    }
}
