using Tabby.Core.Addressing;

namespace Tabby.Node.BgpFilters;

/// <summary>A BGPFilter rule's <c>cidr</c>, <c>matchOperator</c> and <c>prefixLength</c>, as BIRD's <c>net = / != / ~ / !~</c>.</summary>
/// <param name="Cidr">The rule's CIDR.</param>
/// <param name="Operator">Equal, NotEqual, In or NotIn.</param>
/// <param name="MinLength">For In/NotIn: the shortest matching length (the CIDR's own length unless prefixLength.min is longer).</param>
/// <param name="MaxLength">For In/NotIn: the longest matching length (the family's maximum unless prefixLength.max is shorter).</param>
public sealed record PrefixCondition(IpPrefix Cidr, string Operator, int MinLength, int MaxLength)
{
    public bool Matches(IpPrefix route) => Operator switch
    {
        "Equal" => route == Cidr,
        "NotEqual" => route != Cidr,
        "In" => Within(route),
        _ => !Within(route),
    };

    private bool Within(IpPrefix route) =>
        route.IsIPv6 == Cidr.IsIPv6 && Cidr.Contains(route) && route.Length >= MinLength && route.Length <= MaxLength;

    public override string ToString() => Operator switch
    {
        "Equal" => $"net = {Cidr}",
        "NotEqual" => $"net != {Cidr}",
        "In" => $"net ~ {Cidr}{{{MinLength},{MaxLength}}}",
        _ => $"net !~ {Cidr}{{{MinLength},{MaxLength}}}",
    };
}
