using Tabby.Core.Addressing;

namespace Tabby.Bgp.Policy;

/// <summary>A prefix-list entry: routes inside <see cref="Prefix"/> whose length lies in [ge, le] (exact match when both are absent).</summary>
public sealed record PrefixMatch(IpPrefix Prefix, int? Ge = null, int? Le = null)
{
    /// <summary>The shortest length that matches: ge, else the prefix's own length.</summary>
    public int MinLength => Ge ?? Prefix.Length;

    /// <summary>The longest length that matches: le, else the family maximum when only ge is given, else the prefix's own length.</summary>
    public int MaxLength => Le ?? (Ge is null ? Prefix.Length : Prefix.MaxLength);

    public bool Matches(IpPrefix route) =>
        route.IsIPv6 == Prefix.IsIPv6 && Prefix.Contains(route) && route.Length >= MinLength && route.Length <= MaxLength;

    public override string ToString() =>
        Prefix + (Ge is { } ge ? $" ge {ge}" : "") + (Le is { } le ? $" le {le}" : "");
}
