using System.Collections.Concurrent;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Session;

/// <summary>The connection's framing and decoding context.</summary>
public sealed class BgpConnectionTests
{
    [Fact]
    public async Task An_external_peers_update_gets_the_ebgp_rules_even_when_it_arrives_before_our_open()
    {
        // A colliding connection is read before we send our OPEN on it; eBGP-ness must not depend on that.
        var (ours, theirs) = MemoryTransport.Pair(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 179), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 50000));
        var connection = new BgpConnection(ours, inbound: true, id: 1, external: true);
        var received = new ConcurrentQueue<BgpMessage>();
        var reading = connection.ReadAsync((_, m) => received.Enqueue(m), (_, _) => { }, (_, _) => { });
        using var peer = new ScriptedPeer(theirs);

        peer.Send(BgpOpen.Create(65001, 9, BgpSpeakerConfig.ParseRouterId("192.0.2.2"), [new FourOctetAsCapability(65001)]));
        peer.Send(new BgpUpdate
        {
            Attributes = new PathAttributes
            {
                Origin = BgpOrigin.Igp,
                AsPath = AsPath.Sequence(65001),
                NextHop = IPAddress.Parse("192.0.2.2"),
                LocalPref = 500,
                OriginatorId = 7,
            },
            Nlri = new ValueList<IpPrefix>([IpPrefix.Parse("10.1.0.0/16")]),
        });
        await Eventually.HoldsAsync(() => received.Count == 2, "the OPEN and the UPDATE decoded");

        var update = Assert.IsType<BgpUpdate>(received.Last());
        // RFC 4271 5.1.5 and RFC 7606 7.5/7.9: LOCAL_PREF and ORIGINATOR_ID from an external peer are discarded.
        Assert.Null(update.Attributes.LocalPref);
        Assert.Null(update.Attributes.OriginatorId);
        await connection.DisposeAsync();
        await reading;
    }
}
