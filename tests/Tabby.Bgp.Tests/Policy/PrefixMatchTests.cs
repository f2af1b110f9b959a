using Tabby.Bgp.Policy;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Policy;

public class PrefixMatchTests
{
    private static IpPrefix P(string s) => IpPrefix.Parse(s);

    [Fact]
    public void Without_ge_or_le_only_the_exact_prefix_matches()
    {
        var m = new PrefixMatch(P("10.0.0.0/8"));
        Assert.True(m.Matches(P("10.0.0.0/8")));
        Assert.False(m.Matches(P("10.1.0.0/16")));
        Assert.False(m.Matches(P("0.0.0.0/0")));
    }

    [Fact]
    public void Ge_and_le_bound_the_length_of_covered_prefixes()
    {
        var m = new PrefixMatch(P("10.0.0.0/8"), Ge: 24, Le: 26);
        Assert.False(m.Matches(P("10.1.0.0/16")));
        Assert.True(m.Matches(P("10.1.2.0/24")));
        Assert.True(m.Matches(P("10.1.2.64/26")));
        Assert.False(m.Matches(P("10.1.2.1/32")));
        Assert.False(m.Matches(P("11.1.2.0/24")));
    }

    [Fact]
    public void Ge_alone_runs_to_the_family_maximum_and_le_alone_starts_at_the_prefix()
    {
        Assert.True(new PrefixMatch(P("10.0.0.0/8"), Ge: 30).Matches(P("10.0.0.1/32")));
        var le = new PrefixMatch(P("10.0.0.0/8"), Le: 16);
        Assert.True(le.Matches(P("10.0.0.0/8")));
        Assert.True(le.Matches(P("10.5.0.0/16")));
        Assert.False(le.Matches(P("10.5.5.0/24")));
    }

    [Fact]
    public void Families_never_cross()
    {
        Assert.False(new PrefixMatch(P("0.0.0.0/0"), Le: 32).Matches(P("::/0")));
        Assert.True(new PrefixMatch(P("2001:db8::/32"), Le: 128).Matches(P("2001:db8::1/128")));
    }
}
