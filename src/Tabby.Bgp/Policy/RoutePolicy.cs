using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Policy;

/// <summary>An import or export policy: ordered terms, the first match decides, otherwise the default action.</summary>
/// <remarks>Stateless and immutable; the same instance can run for every peer. Callers should intern the returned attributes.</remarks>
public sealed class RoutePolicy : IRoutePolicy
{
    public RoutePolicy(IEnumerable<PolicyTerm> terms, PolicyAction defaultAction = PolicyAction.Reject)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Terms = terms.ToArray();
        DefaultAction = defaultAction;
    }

    public static RoutePolicy AcceptAll { get; } = new([], PolicyAction.Accept);
    public static RoutePolicy RejectAll { get; } = new([], PolicyAction.Reject);

    public IReadOnlyList<PolicyTerm> Terms { get; }
    public PolicyAction DefaultAction { get; }

    public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var term in Terms)
        {
            if (!term.Match.Matches(prefix, attributes))
                continue;
            if (term.Result == PolicyAction.Reject)
                return new PolicyResult(false, attributes, term.Name, NextHopAction.Default);
            var actions = term.Actions ?? PolicyActions.None;
            return new PolicyResult(true, Apply(prefix, attributes, actions, context), term.Name, actions.NextHop);
        }
        return new PolicyResult(DefaultAction == PolicyAction.Accept, attributes, null, NextHopAction.Default);
    }

    /// <summary>Applies one term's rewrites; exposed for tests and for callers composing their own terms.</summary>
    public static PathAttributes Apply(IpPrefix prefix, PathAttributes attributes, PolicyActions actions, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(context);
        var a = attributes;
        if (actions.SetCommunities is { } set || !actions.AddCommunities.IsEmpty || !actions.RemoveCommunities.IsEmpty)
        {
            var list = new List<Community>(actions.SetCommunities ?? a.Communities);
            foreach (var c in actions.AddCommunities)
            {
                if (!list.Contains(c))
                    list.Add(c);
            }
            foreach (var c in actions.RemoveCommunities)
                list.RemoveAll(x => x == c);
            a = a with { Communities = list.ToArray() };
        }
        if (!actions.AddLargeCommunities.IsEmpty || !actions.RemoveLargeCommunities.IsEmpty)
        {
            var list = new List<LargeCommunity>(a.LargeCommunities);
            foreach (var c in actions.AddLargeCommunities)
            {
                if (!list.Contains(c))
                    list.Add(c);
            }
            foreach (var c in actions.RemoveLargeCommunities)
                list.RemoveAll(x => x == c);
            a = a with { LargeCommunities = list.ToArray() };
        }
        if (actions.SetLocalPref is { } lp)
            a = a with { LocalPref = lp };
        if (actions.SetMed is { } med)
            a = a with { Med = med };
        if (actions.PrependCount > 0)
            a = a with { AsPath = (a.AsPath ?? AsPath.Empty).Prepend(actions.PrependAs ?? context.LocalAs, actions.PrependCount) };
        switch (actions.NextHop)
        {
            case NextHopAction.Self when prefix.IsIPv6 && context.SelfNextHopV6 is { } v6:
                a = a with { MpNextHop = v6 };
                break;
            case NextHopAction.Self when !prefix.IsIPv6 && context.SelfNextHopV4 is { } v4:
                a = a with { NextHop = v4 };
                break;
            case NextHopAction.Keep when context.ReceivedAttributes is { } received:
                a = a with { NextHop = received.NextHop, MpNextHop = received.MpNextHop };
                break;
        }
        return a;
    }
}
