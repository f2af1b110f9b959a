using System.Net;
using Tabby.Api.Resources;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Tabby.Node.BgpFilters;
using Tabby.Node.Routing;

namespace Tabby.Node.Tests.BgpFilters;

/// <summary>
/// BGPFilter rules mean what Calico's generated BIRD functions mean (confd's template_funcs.go): first matching rule
/// decides, filters in the BGPPeer's order, no match falls through to the default policy.
/// </summary>
public sealed class BgpFilterPolicyTests
{
    private static readonly IpPrefix[] s_pools = [P("10.20.0.0/16")];

    private static IpPrefix P(string text) => IpPrefix.Parse(text);

    private static BGPFilterRule Rule(string action, string? cidr = null, string op = "In") => new() { Action = action, Cidr = cidr, MatchOperator = cidr is null ? null : op };

    private static CompiledBgpFilter Compile(string name, List<BGPFilterRule>? importV4 = null, List<BGPFilterRule>? exportV4 = null, List<string>? problems = null) =>
        BgpFilterCompiler.Compile(new BGPFilter { Metadata = { Name = name }, Spec = new BGPFilterSpec { ImportV4 = importV4, ExportV4 = exportV4 } }, problems ?? []);

    private static PathAttributes Path(params uint[] asns) => PathAttributes.Empty with
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(asns),
        NextHop = IPAddress.Parse("192.168.0.9"),
    };

    private static PolicyContext Learned => new(64512);

    private static PolicyContext Originated => new(64512, Originated: true);

    private static BgpFilterPolicy Import(params CompiledBgpFilter[] filters) =>
        new(filters, import: true, sameAs: true, fallback: new PoolImportPolicy(s_pools, acceptDefault: false));

    private static BgpFilterPolicy Export(params CompiledBgpFilter[] filters) => new(filters, import: false, sameAs: true, fallback: null);

    [Fact]
    public void An_import_rule_accepts_a_route_outside_every_pool_that_the_default_would_refuse()
    {
        var defaultOnly = Import();
        var filtered = Import(Compile("external", importV4: [Rule("Accept", "172.16.0.0/12")]));

        Assert.False(defaultOnly.Evaluate(P("172.16.1.0/24"), Path(65001), Learned).Accepted);
        Assert.True(filtered.Evaluate(P("172.16.1.0/24"), Path(65001), Learned).Accepted);
    }

    [Fact]
    public void A_route_no_rule_matches_gets_the_default_policy()
    {
        var policy = Import(Compile("external", importV4: [Rule("Accept", "172.16.0.0/12")]));

        Assert.True(policy.Evaluate(P("10.20.3.0/26"), Path(65001), Learned).Accepted);
        Assert.False(policy.Evaluate(P("192.0.2.0/24"), Path(65001), Learned).Accepted);
    }

    [Fact]
    public void The_first_matching_rule_decides_within_a_filter_and_across_filters_in_peer_order()
    {
        var reject = Compile("reject-10-20-3", exportV4: [Rule("Reject", "10.20.3.0/24"), Rule("Accept", "10.20.0.0/16")]);
        var accept = Compile("accept-all", exportV4: [Rule("Accept", "10.20.0.0/16")]);

        Assert.False(Export(reject, accept).Evaluate(P("10.20.3.0/26"), Path(), Originated).Accepted);
        Assert.True(Export(accept, reject).Evaluate(P("10.20.3.0/26"), Path(), Originated).Accepted);
        Assert.True(Export(reject, accept).Evaluate(P("10.20.4.0/26"), Path(), Originated).Accepted);
    }

    [Theory]
    [InlineData("Equal", "10.20.3.0/26", true)]
    [InlineData("Equal", "10.20.3.0/27", false)]
    [InlineData("NotEqual", "10.20.3.0/27", true)]
    [InlineData("NotEqual", "10.20.3.0/26", false)]
    [InlineData("In", "10.20.3.64/26", true)]
    [InlineData("In", "10.21.0.0/26", false)]
    [InlineData("NotIn", "10.21.0.0/26", true)]
    [InlineData("NotIn", "10.20.3.64/26", false)]
    public void Match_operators_are_BIRD_net_comparisons(string op, string route, bool rejected)
    {
        var cidr = op.Contains("Equal", StringComparison.Ordinal) ? "10.20.3.0/26" : "10.20.0.0/16";
        var policy = Export(Compile("f", exportV4: [Rule("Reject", cidr, op)]));

        Assert.Equal(rejected, !policy.Evaluate(P(route), Path(), Originated).Accepted);
    }

    [Fact]
    public void PrefixLength_narrows_an_In_match_to_a_window_of_lengths()
    {
        var rule = Rule("Reject", "10.20.0.0/16");
        rule.PrefixLength = new BGPFilterPrefixLength { Min = 25, Max = 28 };
        var policy = Export(Compile("f", exportV4: [rule]));

        Assert.True(policy.Evaluate(P("10.20.1.0/24"), Path(), Originated).Accepted);
        Assert.False(policy.Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
        Assert.True(policy.Evaluate(P("10.20.1.0/29"), Path(), Originated).Accepted);
    }

    [Fact]
    public void Source_RemotePeers_matches_learned_routes_and_not_the_nodes_own()
    {
        var rule = Rule("Reject", "10.20.0.0/16");
        rule.Source = "RemotePeers";
        var policy = Export(Compile("no-transit", exportV4: [rule]));

        Assert.False(policy.Evaluate(P("10.20.1.0/26"), Path(65001), Learned).Accepted);
        Assert.True(policy.Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
    }

    [Fact]
    public void PeerType_restricts_a_rule_to_iBGP_or_eBGP_sessions()
    {
        var rule = Rule("Reject");
        rule.PeerType = "eBGP";
        var filter = Compile("ebgp-only", exportV4: [rule]);

        Assert.True(new BgpFilterPolicy([filter], import: false, sameAs: true, fallback: null).Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
        Assert.False(new BgpFilterPolicy([filter], import: false, sameAs: false, fallback: null).Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
    }

    [Fact]
    public void Community_and_AS_path_prefix_conditions_must_all_hold()
    {
        var rule = Rule("Reject");
        rule.Communities = new BGPFilterCommunityMatch { Values = ["65001:100"] };
        rule.AsPathPrefix = [new AsNumber(65001), new AsNumber(65002)];
        var policy = Import(Compile("f", importV4: [rule]));
        var tagged = Path(65001, 65002, 65003) with { Communities = new ValueList<Bgp.Wire.Community>([Bgp.Wire.Community.Parse("65001:100")]) };

        Assert.False(policy.Evaluate(P("10.20.1.0/26"), tagged, Learned).Accepted);
        Assert.True(policy.Evaluate(P("10.20.1.0/26"), tagged with { AsPath = AsPath.Sequence(65002, 65001) }, Learned).Accepted);
        Assert.True(policy.Evaluate(P("10.20.1.0/26"), Path(65001, 65002), Learned).Accepted);
    }

    [Fact]
    public void Priority_is_LOCAL_PREF_read_backwards_and_the_nodes_own_routes_have_the_normal_priority()
    {
        var rule = Rule("Reject");
        rule.Priority = 1024;
        var policy = Export(Compile("f", exportV4: [rule]));

        Assert.False(policy.Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
        Assert.True(policy.Evaluate(P("10.20.1.0/26"), Path(65001), Learned).Accepted);
        Assert.False(policy.Evaluate(P("10.20.1.0/26"), Path(65001) with { LocalPref = int.MaxValue - 1024u }, Learned).Accepted);
    }

    [Fact]
    public void Operations_add_communities_prepend_the_AS_path_in_order_and_set_the_priority()
    {
        var rule = Rule("Accept", "10.20.0.0/16");
        rule.Operations =
        [
            new BGPFilterOperation { AddCommunity = new BGPFilterAddCommunity { Value = "65000:7" } },
            new BGPFilterOperation { AddCommunity = new BGPFilterAddCommunity { Value = "65000:1:2" } },
            new BGPFilterOperation { PrependAsPath = new BGPFilterPrependAsPath { Prefix = [new AsNumber(65100), new AsNumber(65101)] } },
            new BGPFilterOperation { SetPriority = new BGPFilterSetPriority { Value = 100 } },
        ];
        var result = Export(Compile("f", exportV4: [rule])).Evaluate(P("10.20.1.0/26"), Path(65001), Learned);

        Assert.True(result.Accepted);
        Assert.Equal(["65000:7"], result.Attributes.Communities.Select(c => c.ToString()));
        Assert.Equal(["65000:1:2"], result.Attributes.LargeCommunities.Select(c => c.ToString()));
        Assert.Equal(AsPath.Sequence(65100, 65101, 65001).ToString(), result.Attributes.AsPath!.ToString());
        Assert.Equal(int.MaxValue - 100u, result.Attributes.LocalPref);
        Assert.Equal("BGPFilter f rule 0", result.Term);
    }

    [Fact]
    public void An_interface_rule_is_reported_and_never_matches()
    {
        var problems = new List<string>();
        var rule = Rule("Reject");
        rule.Interface = "eth*";
        var policy = Export(Compile("f", exportV4: [rule], problems: problems));

        Assert.True(policy.Evaluate(P("10.20.1.0/26"), Path(), Originated).Accepted);
        Assert.Contains(problems, p => p.Contains("interface 'eth*'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Drop", null, null, "action 'Drop'")]
    [InlineData("Accept", "10.20.0.0/33", "In", "cidr '10.20.0.0/33'")]
    [InlineData("Accept", "fd00::/64", "In", "not an IPv4 CIDR")]
    [InlineData("Accept", "10.20.0.0/16", "Within", "matchOperator 'Within'")]
    public void A_rule_Tabby_cannot_read_is_skipped_with_a_reason(string action, string? cidr, string? op, string reason)
    {
        var problems = new List<string>();
        var filter = Compile("bad", exportV4: [new BGPFilterRule { Action = action, Cidr = cidr, MatchOperator = op }], problems: problems);

        Assert.Empty(filter.ExportV4);
        Assert.Contains(problems, p => p.Contains(reason, StringComparison.Ordinal) && p.Contains("BGPFilter bad exportV4[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void KeepOriginalNextHop_keeps_a_learned_routes_next_hop_and_leaves_the_nodes_own_alone()
    {
        var received = Path(65001) with { NextHop = IPAddress.Parse("192.168.0.9") };
        var rewritten = received with { NextHop = IPAddress.Parse("192.168.0.2") };

        var learned = KeepNextHopPolicy.Instance.Evaluate(P("10.20.1.0/26"), rewritten, new PolicyContext(64512, IPAddress.Parse("192.168.0.2"), ReceivedAttributes: received));
        var own = KeepNextHopPolicy.Instance.Evaluate(P("10.20.1.0/26"), rewritten, new PolicyContext(64512, IPAddress.Parse("192.168.0.2"), ReceivedAttributes: rewritten, Originated: true));

        Assert.Equal(IPAddress.Parse("192.168.0.9"), learned.Attributes.NextHop);
        Assert.Equal(NextHopAction.Keep, learned.NextHop);
        Assert.Equal(IPAddress.Parse("192.168.0.2"), own.Attributes.NextHop);
    }

    [Fact]
    public void An_accepting_rule_still_runs_the_peers_next_hop_handling()
    {
        var received = Path(65001) with { NextHop = IPAddress.Parse("192.168.0.9") };
        var rewritten = received with { NextHop = IPAddress.Parse("192.168.0.2") };
        var policy = new BgpFilterPolicy([Compile("f", exportV4: [Rule("Accept", "10.20.0.0/16")])], import: false, sameAs: true, fallback: null, after: KeepNextHopPolicy.Instance);

        var result = policy.Evaluate(P("10.20.1.0/26"), rewritten, new PolicyContext(64512, IPAddress.Parse("192.168.0.2"), ReceivedAttributes: received));

        Assert.True(result.Accepted);
        Assert.Equal(IPAddress.Parse("192.168.0.9"), result.Attributes.NextHop);
        Assert.Equal("BGPFilter f rule 0", result.Term);
    }
}
