using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Policy;

/// <summary>A term's conditions: every non-empty list must have at least one hit (AND across lists, OR within one).</summary>
public sealed record PolicyMatch
{
    /// <summary>Matches everything.</summary>
    public static PolicyMatch Any { get; } = new();

    public ValueList<PrefixMatch> Prefixes { get; init; }
    public ValueList<Community> Communities { get; init; }
    public ValueList<LargeCommunity> LargeCommunities { get; init; }

    /// <summary>Restricts the term to one address family when set.</summary>
    public BgpFamily? Family { get; init; }

    public bool Matches(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (Family is { } f && BgpFamily.For(prefix) != f)
            return false;
        if (!Prefixes.IsEmpty && !AnyPrefix(prefix))
            return false;
        if (!Communities.IsEmpty && !AnyOf(Communities, attributes.Communities))
            return false;
        return LargeCommunities.IsEmpty || AnyOf(LargeCommunities, attributes.LargeCommunities);
    }

    private bool AnyPrefix(IpPrefix prefix)
    {
        foreach (var m in Prefixes)
        {
            if (m.Matches(prefix))
                return true;
        }
        return false;
    }

    private static bool AnyOf<T>(ValueList<T> wanted, ValueList<T> present)
    {
        foreach (var w in wanted)
        {
            if (present.Contains(w))
                return true;
        }
        return false;
    }
}
