using System.Text;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.BgpFilters;

/// <summary>
/// One BGPFilter rule, compiled: every condition that is set must hold (BIRD's <c>&amp;&amp;</c>), then the rule accepts
/// (after its operations) or rejects.
/// </summary>
public sealed record FilterRule
{
    /// <summary>Calico's priority and BGP LOCAL_PREF are one scale read two ways: local_pref = 2^31-1 - priority.</summary>
    public const uint PriorityBase = int.MaxValue;

    /// <summary>The priority Calico gives a node's own routes (Felix's normal route metric).</summary>
    public const uint NormalPriority = 1024;

    public required bool Accept { get; init; }

    public PrefixCondition? Prefix { get; init; }

    /// <summary><c>source: RemotePeers</c>: only routes learned from a BGP neighbour, not the node's own.</summary>
    public bool RemotePeersOnly { get; init; }

    /// <summary><c>peerType</c>: true for iBGP only, false for eBGP only, null for either.</summary>
    public bool? SameAs { get; init; }

    public Community? Community { get; init; }

    public LargeCommunity? LargeCommunity { get; init; }

    /// <summary>The AS numbers the AS_PATH must start with.</summary>
    public ValueList<uint> AsPathPrefix { get; init; }

    /// <summary>The LOCAL_PREF the route must carry (from <c>priority</c>).</summary>
    public uint? LocalPref { get; init; }

    /// <summary>A condition Tabby cannot evaluate (an <c>interface</c> match): the rule never matches.</summary>
    public string? Unsupported { get; init; }

    public ValueList<Community> AddCommunities { get; init; }

    public ValueList<LargeCommunity> AddLargeCommunities { get; init; }

    /// <summary>AS numbers put in front of the AS_PATH, in this order.</summary>
    public ValueList<uint> Prepend { get; init; }

    /// <summary>The LOCAL_PREF an accepting rule sets (from <c>setPriority</c>).</summary>
    public uint? SetLocalPref { get; init; }

    public bool Matches(IpPrefix prefix, PathAttributes attributes, PolicyContext context, bool sameAs)
    {
        if (Unsupported is not null)
            return false;
        if (SameAs is { } wanted && wanted != sameAs)
            return false;
        if (Prefix is { } condition && !condition.Matches(prefix))
            return false;
        if (RemotePeersOnly && context.Originated)
            return false;
        if (Community is { } community && !attributes.Communities.Contains(community))
            return false;
        if (LargeCommunity is { } large && !attributes.LargeCommunities.Contains(large))
            return false;
        if (!AsPathPrefix.IsEmpty && !StartsWith(attributes.AsPath, AsPathPrefix))
            return false;
        return LocalPref is not { } pref || EffectiveLocalPref(attributes, context) == pref;
    }

    /// <summary>The accepted route with this rule's operations applied, in the order Calico lists them.</summary>
    public PathAttributes Apply(PathAttributes attributes)
    {
        var result = attributes;
        if (!AddCommunities.IsEmpty)
            result = result with { Communities = Union(result.Communities, AddCommunities) };
        if (!AddLargeCommunities.IsEmpty)
            result = result with { LargeCommunities = Union(result.LargeCommunities, AddLargeCommunities) };
        if (!Prepend.IsEmpty)
        {
            var path = result.AsPath ?? AsPath.Empty;
            // One AS at a time from the end, so the first listed ends up first (BIRD's bgp_path.prepend in reverse).
            for (var i = Prepend.Count - 1; i >= 0; i--)
                path = path.Prepend(Prepend[i]);
            result = result with { AsPath = path };
        }

        if (SetLocalPref is { } pref)
            result = result with { LocalPref = pref };
        return result;
    }

    /// <summary>What BIRD would compare: the route's LOCAL_PREF, else Calico's for the node's own routes, else BGP's default of 100.</summary>
    private static uint EffectiveLocalPref(PathAttributes attributes, PolicyContext context) =>
        attributes.LocalPref ?? (context.Originated ? PriorityBase - NormalPriority : 100);

    private static bool StartsWith(AsPath? path, ValueList<uint> prefix)
    {
        var flat = new List<uint>();
        foreach (var segment in (path ?? AsPath.Empty).Segments)
        {
            // Only an ordered sequence has a start; a set ends the comparable part (BIRD's [= a b * =]).
            if (segment.Type != AsPathSegmentType.AsSequence)
                break;
            flat.AddRange(segment.Asns);
            if (flat.Count >= prefix.Count)
                break;
        }

        if (flat.Count < prefix.Count)
            return false;
        for (var i = 0; i < prefix.Count; i++)
        {
            if (flat[i] != prefix[i])
                return false;
        }

        return true;
    }

    private static ValueList<T> Union<T>(ValueList<T> present, ValueList<T> added)
    {
        var list = new List<T>(present);
        foreach (var item in added)
        {
            if (!list.Contains(item))
                list.Add(item);
        }

        return list.ToArray();
    }

    /// <summary>The rule as BIRD-like text: how logs and `node status` show it, and how a changed rule is noticed.</summary>
    public override string ToString()
    {
        var conditions = new List<string>();
        if (SameAs is { } same)
            conditions.Add(same ? "iBGP" : "eBGP");
        if (Prefix is { } prefix)
            conditions.Add(prefix.ToString());
        if (RemotePeersOnly)
            conditions.Add("source ~ [ RTS_BGP ]");
        if (Community is { } c)
            conditions.Add($"({c}) ~ bgp_community");
        if (LargeCommunity is { } l)
            conditions.Add($"({l}) ~ bgp_large_community");
        if (!AsPathPrefix.IsEmpty)
            conditions.Add($"bgp_path ~ [= {string.Join(' ', AsPathPrefix)} * =]");
        if (LocalPref is { } pref)
            conditions.Add($"bgp_local_pref = {pref}");
        if (Unsupported is { } unsupported)
            conditions.Add($"never ({unsupported})");
        var text = new StringBuilder();
        if (conditions.Count > 0)
            text.Append("if ").Append(string.Join(" && ", conditions)).Append(" then ");
        foreach (var community in AddCommunities)
            text.Append($"add community {community}; ");
        foreach (var community in AddLargeCommunities)
            text.Append($"add large community {community}; ");
        if (!Prepend.IsEmpty)
            text.Append($"prepend {string.Join(' ', Prepend)}; ");
        if (SetLocalPref is { } set)
            text.Append($"bgp_local_pref = {set}; ");
        return text.Append(Accept ? "accept" : "reject").ToString();
    }
}
