using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class AdjRibInTests
{
    private static readonly RibPeer s_peer = Ibgp("10.0.0.1", 1);

    [Fact]
    public void Update_reports_whether_anything_changed()
    {
        var rib = new AdjRibIn(s_peer);
        Assert.True(rib.Update(P("10.1.0.0/16"), Attrs(1)));
        Assert.False(rib.Update(P("10.1.0.0/16"), Attrs(1)));
        Assert.True(rib.Update(P("10.1.0.0/16"), Attrs(2)));
        Assert.True(rib.Withdraw(P("10.1.0.0/16")));
        Assert.False(rib.Withdraw(P("10.1.0.0/16")));
        Assert.Equal(0, rib.Count);
    }

    [Fact]
    public void Stale_routes_are_swept_per_family_unless_refreshed()
    {
        var interner = new PathAttributesInterner();
        var rib = new AdjRibIn(s_peer, interner);
        rib.Update(P("10.1.0.0/16"), Attrs(1));
        rib.Update(P("10.2.0.0/16"), Attrs(1));
        rib.Update(P("2001:db8::/32"), Attrs(1));
        Assert.Equal(1, interner.Count);

        Assert.Equal(3, rib.MarkStale());
        Assert.True(rib.Update(P("10.1.0.0/16"), Attrs(1))); // refreshed: un-staling counts as a change
        Assert.False(rib.IsStale(P("10.1.0.0/16")));

        Assert.Equal([P("10.2.0.0/16")], rib.SweepStale(BgpFamily.Ipv4Unicast));
        Assert.Equal([P("2001:db8::/32")], rib.SweepStale(BgpFamily.Ipv6Unicast));
        Assert.Equal(1, rib.Count);
        Assert.Equal([P("10.1.0.0/16")], rib.Clear());
        Assert.Equal(0, interner.Count);
    }
}
