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

    [Fact]
    public async Task Many_messages_arrive_whole_and_in_order_through_a_socket_that_takes_a_little_at_a_time()
    {
        // More than one coalescing buffer's worth (64 KB), so the connection must both cut and resume partial sends.
        var messages = Enumerable.Range(0, 40).Select(i => Update(i, prefixes: 300)).ToList();
        var transport = new TricklingTransport([], maxPerSend: 1000);
        var connection = new BgpConnection(transport, inbound: false, id: 1, external: false);

        await connection.SendManyAsync(messages);

        Assert.Equal(messages.SelectMany(m => m).ToArray(), transport.Sent);
        Assert.Equal(40, connection.MessagesOut);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task A_single_message_goes_out_as_it_is()
    {
        var message = Update(1, prefixes: 100);
        var transport = new TricklingTransport([], maxPerSend: int.MaxValue);
        var connection = new BgpConnection(transport, inbound: false, id: 1, external: false);

        await connection.SendManyAsync([message]);

        Assert.Equal(message, transport.Sent);
        Assert.Equal(1, transport.Sends);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Every_message_is_decoded_when_the_socket_hands_them_out_in_pieces()
    {
        // Reads end mid-header and mid-body: framing must carry the rest over to the next read.
        var updates = Enumerable.Range(0, 12).Select(i => Update(i, prefixes: 150)).ToList();
        var transport = new TricklingTransport(updates.SelectMany(m => m).ToArray(), maxPerSend: int.MaxValue) { MaxPerRead = 777 };
        var connection = new BgpConnection(transport, inbound: false, id: 1, external: false);
        var received = new List<BgpUpdate>();

        await connection.ReadAsync((_, m) => received.Add((BgpUpdate)m), (_, e) => Assert.Fail(e.Message), (_, _) => { });

        Assert.Equal(12, received.Count);
        for (var i = 0; i < 12; i++)
            Assert.Equal(Prefixes(i, 150), received[i].Nlri.AsSpan().ToArray());
        await connection.DisposeAsync();
    }

    private static byte[] Update(int seed, int prefixes) => BgpMessageEncoder.Encode(new BgpUpdate
    {
        Attributes = new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(65001), NextHop = IPAddress.Parse("192.0.2.2"), LocalPref = 100 },
        Nlri = new ValueList<IpPrefix>(Prefixes(seed, prefixes)),
    }, BgpCodecContext.Default);

    private static IpPrefix[] Prefixes(int seed, int count) =>
        Enumerable.Range(0, count).Select(i => IpPrefix.V4(0x0A000000u + ((uint)seed << 12) + (uint)i, 32)).ToArray();
}
