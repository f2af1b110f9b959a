using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.BgpFilters;

/// <summary>
/// A peer's BGPFilters in front of its default policy, as Calico's generated BIRD filters run: the filters in the order
/// the BGPPeer lists them, the rules of each in order, the first match deciding; a route no rule matches gets the
/// default (<paramref name="fallback"/>; accepted when null). <paramref name="after"/> runs on every accepted route
/// (next-hop handling, which BIRD does outside the filter).
/// </summary>
/// <param name="sameAs">The session is iBGP (peer AS = node AS): what a rule's peerType compares with.</param>
public sealed class BgpFilterPolicy(IReadOnlyList<CompiledBgpFilter> filters, bool import, bool sameAs, IRoutePolicy? fallback, IRoutePolicy? after = null) : IRoutePolicy
{
    public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context)
    {
        foreach (var filter in filters)
        {
            var rules = filter.Rules(import, prefix.IsIPv6);
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (!rule.Matches(prefix, attributes, context, sameAs))
                    continue;
                var term = $"BGPFilter {filter.Name} rule {i}";
                if (!rule.Accept)
                    return new PolicyResult(false, attributes, term, NextHopAction.Default);
                var accepted = rule.Apply(attributes);
                return after is null
                    ? new PolicyResult(true, accepted, term, NextHopAction.Default)
                    : after.Evaluate(prefix, accepted, context) with { Term = term };
            }
        }

        if (fallback is not null)
            return fallback.Evaluate(prefix, attributes, context);
        return after?.Evaluate(prefix, attributes, context) ?? new PolicyResult(true, attributes, null, NextHopAction.Default);
    }
}
