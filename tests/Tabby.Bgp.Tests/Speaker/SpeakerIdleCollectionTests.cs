using System.Net;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>The gen0 collection a quiet spell gets, so that the next burst allocates on warm pages.</summary>
public sealed class SpeakerIdleCollectionTests
{
    [Fact]
    public async Task Each_quiet_spell_after_a_change_gets_one_collection_and_an_idle_speaker_none()
    {
        await using var h = new SpeakerHarness();
        Assert.Equal(0, h.Speaker.IdleCollections);

        h.Speaker.Originate(IpPrefix.Parse("10.30.1.0/24"));
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections == 1, "a collection in the quiet spell after the first change");
        // Not a wait for an event: the absence of one. Three times the spell's delay with no turn in between.
        await Task.Delay(300);
        Assert.Equal(1, h.Speaker.IdleCollections);

        h.Speaker.Originate(IpPrefix.Parse("10.30.2.0/24"));
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections == 2, "a collection in the quiet spell after the second change");
    }

    [Fact]
    public async Task An_update_decided_on_its_readers_thread_gets_its_collection_too()
    {
        // After a quiet spell a reader runs the RIB turn itself and posts nothing to the RIB loop, which waits for
        // work: the turn must still lead to the spell's collection.
        await using var h = new SpeakerHarness();
        h.Speaker.AddPeer(SpeakerHarness.Peer("192.0.2.2", 65001));
        var a = await h.ConnectAsync("192.0.2.2", SpeakerHarness.Open(65001, "192.0.2.2"));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(BgpFamily.Ipv4Unicast), "the initial table");
        // Every set-up turn collected after, so the count below moves for the UPDATE's turn alone.
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections >= 1 && h.Speaker.NoCollectionDue, "the collection after the session's set-up");
        var before = h.Speaker.IdleCollections;

        var prefix = IpPrefix.Parse("10.31.0.0/16");
        a.Send(new BgpUpdate
        {
            Attributes = new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(65001), NextHop = IPAddress.Parse("192.0.2.2") },
            Nlri = new[] { prefix },
        });

        // Read from the peer's counters, not by querying the RIB: a query is work posted to the loop, which would wake it.
        await Eventually.HoldsAsync(() => h.Status("192.0.2.2").PrefixesReceived == 1, "the route decided");
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections == before + 1, "a collection in the spell after the reader's turn");
    }
}
