using System.Net;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Policy;

public class RoutePolicyTests
{
    private static readonly PolicyContext s_ctx = new(
        LocalAs: 65000,
        SelfNextHopV4: IPAddress.Parse("192.0.2.254"),
        SelfNextHopV6: new BgpNextHop(IPAddress.Parse("2001:db8::fe"), IPAddress.Parse("fe80::fe")));

    private static readonly PathAttributes s_attrs = new()
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(65001),
        NextHop = IPAddress.Parse("192.0.2.1"),
        MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::1")),
        Communities = new[] { new Community(65000, 1), new Community(65000, 2) },
        LargeCommunities = new[] { new LargeCommunity(65000, 1, 1) },
    };

    private static IpPrefix P(string s) => IpPrefix.Parse(s);

    private static PathAttributes Accept(PolicyActions actions, string prefix = "10.1.0.0/16", PolicyContext? ctx = null)
    {
        var policy = new RoutePolicy([new PolicyTerm("t", PolicyMatch.Any, PolicyAction.Accept, actions)]);
        var r = policy.Evaluate(P(prefix), s_attrs, ctx ?? s_ctx);
        Assert.True(r.Accepted);
        return r.Attributes;
    }

    [Fact]
    public void First_matching_term_decides()
    {
        var policy = new RoutePolicy(
        [
            new PolicyTerm("deny-small", new PolicyMatch { Prefixes = new[] { new PrefixMatch(P("10.0.0.0/8"), Ge: 25) } }, PolicyAction.Reject),
            new PolicyTerm("allow-10", new PolicyMatch { Prefixes = new[] { new PrefixMatch(P("10.0.0.0/8"), Le: 32) } }, PolicyAction.Accept),
        ]);
        Assert.Equal((false, "deny-small"), (policy.Evaluate(P("10.1.1.0/26"), s_attrs, s_ctx) is var a ? (a.Accepted, a.Term) : default));
        Assert.Equal((true, "allow-10"), (policy.Evaluate(P("10.1.1.0/24"), s_attrs, s_ctx) is var b ? (b.Accepted, b.Term) : default));
        var none = policy.Evaluate(P("11.0.0.0/8"), s_attrs, s_ctx);
        Assert.False(none.Accepted);
        Assert.Null(none.Term);
    }

    [Fact]
    public void Default_action_is_configurable()
    {
        Assert.True(RoutePolicy.AcceptAll.Evaluate(P("10.0.0.0/8"), s_attrs, s_ctx).Accepted);
        Assert.False(RoutePolicy.RejectAll.Evaluate(P("10.0.0.0/8"), s_attrs, s_ctx).Accepted);
        Assert.Same(s_attrs, RoutePolicy.AcceptAll.Evaluate(P("10.0.0.0/8"), s_attrs, s_ctx).Attributes);
    }

    [Fact]
    public void Community_match_is_any_of()
    {
        var m = new PolicyMatch { Communities = new[] { new Community(1, 1), new Community(65000, 2) } };
        Assert.True(m.Matches(P("10.0.0.0/8"), s_attrs));
        Assert.False(new PolicyMatch { Communities = new[] { Community.NoExport } }.Matches(P("10.0.0.0/8"), s_attrs));
    }

    [Fact]
    public void Large_community_match()
    {
        Assert.True(new PolicyMatch { LargeCommunities = new[] { new LargeCommunity(65000, 1, 1) } }.Matches(P("10.0.0.0/8"), s_attrs));
        Assert.False(new PolicyMatch { LargeCommunities = new[] { new LargeCommunity(65000, 1, 2) } }.Matches(P("10.0.0.0/8"), s_attrs));
    }

    [Fact]
    public void Conditions_across_lists_must_all_hold()
    {
        var m = new PolicyMatch
        {
            Prefixes = new[] { new PrefixMatch(P("10.0.0.0/8"), Le: 32) },
            Communities = new[] { Community.NoExport },
        };
        Assert.False(m.Matches(P("10.1.0.0/16"), s_attrs));
        Assert.True(m.Matches(P("10.1.0.0/16"), s_attrs with { Communities = new[] { Community.NoExport } }));
    }

    [Fact]
    public void Family_match()
    {
        var v6Only = new PolicyMatch { Family = BgpFamily.Ipv6Unicast };
        Assert.False(v6Only.Matches(P("10.0.0.0/8"), s_attrs));
        Assert.True(v6Only.Matches(P("2001:db8::/32"), s_attrs));
    }

    [Fact]
    public void Set_add_and_remove_communities()
    {
        Assert.Equal([Community.NoExport], Accept(new PolicyActions { SetCommunities = new[] { Community.NoExport } }).Communities.ToArray());
        Assert.Equal([new Community(65000, 1), new Community(65000, 2), new Community(65000, 3)],
            Accept(new PolicyActions { AddCommunities = new[] { new Community(65000, 3), new Community(65000, 1) } }).Communities.ToArray());
        Assert.Equal([new Community(65000, 2)], Accept(new PolicyActions { RemoveCommunities = new[] { new Community(65000, 1) } }).Communities.ToArray());
    }

    [Fact]
    public void Add_and_remove_large_communities()
    {
        var added = Accept(new PolicyActions { AddLargeCommunities = new[] { new LargeCommunity(4200000001, 0, 5) } });
        Assert.Equal(2, added.LargeCommunities.Count);
        Assert.Empty(Accept(new PolicyActions { RemoveLargeCommunities = new[] { new LargeCommunity(65000, 1, 1) } }).LargeCommunities);
    }

    [Fact]
    public void Set_local_pref_and_med()
    {
        var a = Accept(new PolicyActions { SetLocalPref = 250, SetMed = 30 });
        Assert.Equal(250u, a.LocalPref);
        Assert.Equal(30u, a.Med);
    }

    [Fact]
    public void As_path_prepend_n_times_with_our_as_or_a_given_one()
    {
        Assert.Equal("65000 65000 65000 65001", Accept(new PolicyActions { PrependCount = 3 }).AsPath!.ToString());
        Assert.Equal("64512 65001", Accept(new PolicyActions { PrependCount = 1, PrependAs = 64512 }).AsPath!.ToString());
    }

    [Fact]
    public void Next_hop_self_uses_the_address_of_the_prefix_family()
    {
        var v4 = Accept(new PolicyActions { NextHop = NextHopAction.Self });
        Assert.Equal(IPAddress.Parse("192.0.2.254"), v4.NextHop);
        var v6 = Accept(new PolicyActions { NextHop = NextHopAction.Self }, "2001:db8:5::/48");
        Assert.Equal(s_ctx.SelfNextHopV6, v6.MpNextHop);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), v6.NextHop);
    }

    [Fact]
    public void Next_hop_keep_restores_the_received_next_hop()
    {
        var received = s_attrs with { NextHop = IPAddress.Parse("198.51.100.7") };
        var r = Accept(new PolicyActions { NextHop = NextHopAction.Keep }, ctx: s_ctx with { ReceivedAttributes = received });
        Assert.Equal(IPAddress.Parse("198.51.100.7"), r.NextHop);
    }

    [Fact]
    public void Rejecting_terms_do_not_rewrite()
    {
        var policy = new RoutePolicy([new PolicyTerm("no", PolicyMatch.Any, PolicyAction.Reject, new PolicyActions { SetMed = 1 })], PolicyAction.Accept);
        var r = policy.Evaluate(P("10.0.0.0/8"), s_attrs, s_ctx);
        Assert.False(r.Accepted);
        Assert.Same(s_attrs, r.Attributes);
    }

    [Fact]
    public void Community_parsing_and_formatting()
    {
        Assert.Equal(new Community(65000, 100), Community.Parse("65000:100"));
        Assert.Equal(Community.NoExport, Community.Parse("no-export"));
        Assert.Equal("no-export", Community.NoExport.ToString());
        Assert.Equal("65000:100", new Community(65000, 100).ToString());
        Assert.Equal(new LargeCommunity(4200000001, 1, 2), LargeCommunity.Parse("4200000001:1:2"));
        Assert.Throws<FormatException>(() => Community.Parse("65536:1"));
    }
}
