using System.Net;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Session;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>What reaches other peers, and what a failure on the way out does: scripted neighbours around one speaker.</summary>
public sealed class SpeakerExportTests : IAsyncLifetime
{
    private const string PeerA = "192.0.2.2";  // eBGP, AS 65001
    private const string PeerB = "192.0.2.3";  // iBGP, route-reflector client
    private const string PeerC = "2001:db8::3"; // iBGP over IPv6
    private static readonly BgpFamily s_v4 = BgpFamily.Ipv4Unicast;
    private static readonly BgpFamily s_v6 = BgpFamily.Ipv6Unicast;
    private readonly SpeakerHarness _h = new();

    private static PathAttributes FromA => new() { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(65001), NextHop = IPAddress.Parse(PeerA) };

    private Task<ScriptedPeer> ConnectBAsync(params BgpFamily[] families) =>
        _h.ConnectAsync(PeerB, SpeakerHarness.Open(65000, PeerB, families.Length == 0 ? [s_v4] : families));

    [Fact]
    public async Task Ipv6_routes_without_a_next_hop_on_an_ipv4_session_are_skipped_and_everything_else_still_flows()
    {
        // docs/bgp.md's example: an IPv4 session carrying both families. Our IPv6 prefix has no next hop we can
        // put on this session, which used to kill the peer's writer: no routes and no End-of-RIB after it.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001, s_v4, s_v6));
        _h.Speaker.Originate(IpPrefix.Parse("fd00:9::/48"));
        _h.Speaker.Originate(IpPrefix.Parse("10.9.0.0/16"));
        await _h.WaitBestAsync(b => b.Count == 2, "both originated");
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA, [s_v4, s_v6]));

        await a.ReadUntilAsync(p => p.EndOfRib.Count == 2, "End-of-RIB for both families");
        Assert.Equal([IpPrefix.Parse("10.9.0.0/16")], a.Routes.Keys);
        var later = IpPrefix.Parse("10.10.0.0/16");
        _h.Speaker.Originate(later);
        await a.ReadUntilAsync(p => p.Routes.ContainsKey(later), "a later IPv4 route");

        var v6 = _h.Status(PeerA, s_v6);
        Assert.Equal((1L, 0L), (v6.Skipped, v6.PrefixesOut));
        Assert.Equal(BgpSessionState.Established, _h.Status(PeerA).State);
    }

    [Fact]
    public async Task A_withdrawal_burst_mixed_with_reannouncements_leaves_the_other_peer_with_exactly_the_final_table()
    {
        // The writer holds a burst's withdrawals for later change lists and packs them before those lists'
        // announcements: a prefix withdrawn and then announced again must end up announced, whatever the timing.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var all = Enumerable.Range(0, 12_000).Select(i => IpPrefix.V4(0x0A400000u + (uint)i, 32)).ToArray();
        foreach (var chunk in all.Chunk(800))
            a.Send(new BgpUpdate { Attributes = FromA, Nlri = chunk });
        await b.ReadUntilAsync(p => p.Routes.Count == all.Length, "the whole table at B");

        // Withdraw everything in 800-prefix UPDATEs; after every third, announce 50 of the withdrawn again with a new MED.
        var again = FromA with { Med = 7 };
        var expected = new HashSet<IpPrefix>();
        var chunks = all.Chunk(800).ToArray();
        for (var i = 0; i < chunks.Length; i++)
        {
            a.Send(new BgpUpdate { WithdrawnRoutes = chunks[i] });
            if (i % 3 == 2)
            {
                var back = chunks[i - 1].Take(50).ToArray();
                a.Send(new BgpUpdate { Attributes = again, Nlri = back });
                expected.UnionWith(back);
            }
        }

        await b.ReadUntilAsync(p => p.Routes.Count == expected.Count && expected.All(p.Routes.ContainsKey), "exactly the re-announced prefixes at B");
        Assert.All(expected, prefix => Assert.Equal(7u, b.Routes[prefix].Med));
        // Nothing more is on its way: the table at B stays as it is once the speaker says so.
        await Eventually.HoldsAsync(() => _h.Status(PeerB, s_v4).PrefixesOut == expected.Count, "the speaker's count for B");
        Assert.Equal(expected.Count, b.Routes.Count);
    }

    [Fact]
    public async Task Updates_sent_right_behind_the_handshake_are_applied_in_the_order_sent()
    {
        // UPDATEs right behind the handshake, through the session loop, the RIB loop's coalesced flushes and the
        // writer's held withdrawals: the last word on each prefix must win.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var prefixes = Enumerable.Range(0, 20).Select(i => IpPrefix.V4(0x0A500000u + ((uint)i << 8), 24)).ToArray();
        for (var round = 0; round < 30; round++)
        {
            a.Send(new BgpUpdate { Attributes = FromA with { Med = (uint)round }, Nlri = prefixes });
            a.Send(new BgpUpdate { WithdrawnRoutes = prefixes[..10] });
        }

        // Last word: the first ten withdrawn, the other ten announced with MED 29.
        await b.ReadUntilAsync(p => p.Routes.Count == 10 && prefixes[10..].All(x => p.Routes.TryGetValue(x, out var r) && r.Med == 29), "the last word on every prefix");
        await Eventually.HoldsAsync(() => _h.Status(PeerB, s_v4).PrefixesOut == 10, "the speaker's count for B");
        Assert.DoesNotContain(prefixes[..10], b.Routes.ContainsKey);
    }

    [Fact]
    public async Task Changes_after_quiet_spells_and_in_bursts_reach_the_other_peer_in_order()
    {
        // After a quiet spell the RIB loop exports a change list itself, when the peer's writer idles; in a burst
        // the writer does. Alternating both ways, with announcements and withdrawals of the same prefixes, the
        // other peer must end with the last word on each.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var prefixes = Enumerable.Range(0, 40).Select(i => IpPrefix.V4(0x0A600000u + ((uint)i << 8), 24)).ToArray();
        for (var round = 0u; round < 12; round++)
        {
            var med = round;
            a.Send(new BgpUpdate { Attributes = FromA with { Med = med }, Nlri = prefixes });
            if (round % 2 == 0)
            {
                // A quiet spell: wait for B to hold this round's table before the next change.
                await b.ReadUntilAsync(p => p.Routes.Count == prefixes.Length && prefixes.All(x => p.Routes[x].Med == med), $"round {round} at B");
                continue;
            }
            // A burst: withdraw half at once, then announce a few again right behind.
            a.Send(new BgpUpdate { WithdrawnRoutes = prefixes[..20] });
            a.Send(new BgpUpdate { Attributes = FromA with { Med = 100 + med }, Nlri = prefixes[..5] });
        }

        // The last round (11) was a burst: 0-4 again with MED 111, 5-19 withdrawn, 20-39 with MED 11.
        await b.ReadUntilAsync(
            p => p.Routes.Count == 25 && prefixes[..5].All(x => p.Routes.TryGetValue(x, out var r) && r.Med == 111)
                && prefixes[20..].All(x => p.Routes.TryGetValue(x, out var r) && r.Med == 11),
            "the last word on every prefix");
        await Eventually.HoldsAsync(() => _h.Status(PeerB, s_v4).PrefixesOut == 25, "the speaker's count for B");
        Assert.DoesNotContain(prefixes[5..20], b.Routes.ContainsKey);
    }

    [Fact]
    public async Task After_a_quiet_spell_the_first_route_leaves_alone_and_the_rest_of_its_update_right_behind()
    {
        // A burst's first UPDATE carries hundreds of prefixes. The first one decided goes out at once, in an UPDATE of
        // its own, instead of waiting for the rest of its UPDATE to be decided, exported and packed.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(s_v4), "A's initial table");
        var prefixes = Enumerable.Range(0, 50).Select(i => IpPrefix.V4(0x0A700000u + (uint)i, 32)).ToArray();
        // The quiet spell itself (the speaker's is 1 ms): the behaviour under test, not a wait for something to happen.
        await Task.Delay(20);

        a.Send(new BgpUpdate { Attributes = FromA, Nlri = prefixes });

        var updates = new List<BgpUpdate>();
        while (updates.Sum(u => u.Announced().Count) < prefixes.Length)
        {
            var message = await b.ReceiveAsync() ?? throw new InvalidOperationException("the speaker closed B's session");
            if (message is BgpUpdate update && !update.IsEndOfRib(out _))
                updates.Add(update);
        }
        Assert.Equal([prefixes[0]], updates[0].Announced());
        Assert.Equal(prefixes, updates.SelectMany(u => u.Announced()));
    }

    [Fact]
    public async Task A_prefix_withdrawn_and_announced_in_one_update_after_a_quiet_spell_never_leaves_as_a_withdrawal()
    {
        // RFC 4271 4.3: such a prefix is announced. Publishing the first change alone must not send its withdrawal
        // ahead of the rest: downstream it would flap.
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var (p, q) = (IpPrefix.Parse("10.71.0.0/16"), IpPrefix.Parse("10.72.0.0/16"));
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = new[] { p } });
        await b.ReadUntilAsync(x => x.Routes.ContainsKey(p), "P at B");
        // The quiet spell itself (the speaker's is 1 ms), not a wait for something to happen.
        await Task.Delay(20);

        a.Send(new BgpUpdate { WithdrawnRoutes = new[] { p }, Attributes = FromA, Nlri = new[] { p, q } });

        await b.ReadUntilAsync(x => x.Routes.ContainsKey(q), "Q at B");
        Assert.DoesNotContain(p, b.Withdrawn);
        Assert.True(b.Routes.ContainsKey(p));
    }

    [Fact]
    public async Task A_failing_export_resets_the_session_instead_of_silencing_it()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001) with { Export = new ThrowingPolicy() });
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(s_v4), "the empty initial table");

        _h.Speaker.Originate(IpPrefix.Parse("10.9.0.0/16"));

        var (closed, notification) = await a.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Equal((BgpErrorCode.Cease, (byte)CeaseSubcode.AdministrativeReset), (notification!.Code, notification.Subcode));
        Assert.Contains("export failed", notification.ShutdownMessage, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => _h.Status(PeerA).LastError?.Contains("export failed", StringComparison.Ordinal) == true, "the reset in status");
    }

    [Fact]
    public async Task A_failing_export_is_logged_under_the_exporting_peer_alone_even_when_a_reader_ran_the_turn()
    {
        // A quiet spell's first UPDATE is decided and exported on the reading session's thread (the reader takes the
        // RIB turn, and the turn exports inline). Its logs once ran under the reader's scope as well, so a failure
        // exporting to B read "[peer A] [peer B]".
        var loggers = new RecordingLoggerFactory();
        await using var h = new SpeakerHarness(loggers: loggers);
        h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true, Export = new ThrowingPolicy() });
        var b = await h.ConnectAsync(PeerB, SpeakerHarness.Open(65000, PeerB));
        await b.ReadUntilAsync(p => p.EndOfRib.Contains(s_v4), "B's empty initial table");
        var a = await h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));

        a.Send(new BgpUpdate { Attributes = FromA, Nlri = new[] { IpPrefix.Parse("10.7.0.0/16") } });

        await Eventually.HoldsAsync(() => loggers.Records.Any(r => r.Message.StartsWith("Exporting to the peer failed", StringComparison.Ordinal)), "the export failure logged");
        var failure = loggers.Records.First(r => r.Message.StartsWith("Exporting to the peer failed", StringComparison.Ordinal));
        Assert.Contains(failure.Scopes, s => s.Contains(PeerB, StringComparison.Ordinal));
        Assert.DoesNotContain(failure.Scopes, s => s.Contains(PeerA, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ipv4_routes_in_mp_reach_nlri_reach_the_other_peers()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var prefix = IpPrefix.Parse("10.5.0.0/16");

        // RFC 4760 allows IPv4 unicast in MP_REACH_NLRI; then there is no NEXT_HOP attribute, only MP_REACH's.
        a.Send(new BgpUpdate
        {
            Attributes = FromA with { NextHop = null, MpNextHop = new BgpNextHop(IPAddress.Parse(PeerA)) },
            MpReach = new MpNlri(s_v4, new[] { prefix }),
        });

        await b.ReadUntilAsync(p => p.Routes.ContainsKey(prefix), "the route at B");
        Assert.Equal(IPAddress.Parse(PeerA), b.Routes[prefix].NextHop);
    }

    [Fact]
    public async Task Ipv6_routes_reach_the_peers_that_negotiated_ipv6()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001, s_v4, s_v6));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerC, 65000, s_v6) with { RouteReflectorClient = true });
        var c = await _h.ConnectAsync(PeerC, SpeakerHarness.Open(65000, "192.0.2.4", [s_v6]));
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA, [s_v4, s_v6]));
        var prefix = IpPrefix.Parse("fd00:5::/48");
        a.Send(new BgpUpdate
        {
            Attributes = FromA with { NextHop = null, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::2")) },
            MpReach = new MpNlri(s_v6, new[] { prefix }),
        });

        await c.ReadUntilAsync(p => p.Routes.ContainsKey(prefix), "the IPv6 route at C");
        Assert.Equal(IPAddress.Parse("2001:db8::2"), c.Routes[prefix].MpNextHop!.Global);
    }

    [Fact]
    public async Task A_route_whose_next_hop_is_our_own_address_is_neither_installed_nor_passed_on()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
        var b = await ConnectBAsync();
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var looped = IpPrefix.Parse("10.6.0.0/16");
        var fine = IpPrefix.Parse("10.7.0.0/16");

        a.Send(new BgpUpdate { Attributes = FromA with { NextHop = SpeakerHarness.LocalAddress }, Nlri = new[] { looped } });
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = new[] { fine } });

        await b.ReadUntilAsync(p => p.Routes.ContainsKey(fine), "the ordinary route at B");
        Assert.DoesNotContain(looped, b.Announced);
        Assert.Empty(await _h.CandidatesAsync(looped));
    }

    [Fact]
    public async Task Route_refresh_resends_only_the_family_asked_for()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000, s_v4, s_v6) with { RouteReflectorClient = true });
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerC, 65000, s_v6) with { RouteReflectorClient = true });
        _h.Speaker.Originate(IpPrefix.Parse("10.8.0.0/16"));
        var c = await _h.ConnectAsync(PeerC, SpeakerHarness.Open(65000, "192.0.2.4", [s_v6]));
        // An IPv6 route with its own next hop, reflected to B unchanged.
        var v6 = IpPrefix.Parse("fd00:8::/48");
        c.Send(new BgpUpdate
        {
            Attributes = new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Empty, LocalPref = 100, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::3")) },
            MpReach = new MpNlri(s_v6, new[] { v6 }),
        });
        var b = await ConnectBAsync(s_v4, s_v6);
        await b.ReadUntilAsync(p => p.EndOfRib.Count == 2 && p.Routes.Count == 2, "the initial table");
        b.Announced.Clear();

        b.Send(new BgpRouteRefresh(s_v6));
        var marker = IpPrefix.Parse("fd00:99::/48");
        c.Send(new BgpUpdate
        {
            Attributes = new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Empty, LocalPref = 100, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::3")) },
            MpReach = new MpNlri(s_v6, new[] { marker }),
        });
        await b.ReadUntilAsync(p => p.Announced.Contains(marker) && p.Announced.Contains(v6), "the IPv6 refresh and the marker");

        Assert.DoesNotContain(IpPrefix.Parse("10.8.0.0/16"), b.Announced);
    }

    [Fact]
    public async Task An_ebgp_route_whose_as_path_does_not_start_with_the_peers_as_is_treated_as_withdrawn()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        var good = IpPrefix.Parse("10.11.0.0/16");
        var bad = IpPrefix.Parse("10.12.0.0/16");
        a.Send(new BgpUpdate { Attributes = FromA with { AsPath = AsPath.Sequence(65002) }, Nlri = new[] { bad } });
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = new[] { good } });
        await _h.WaitBestAsync(b => b.Any(p => p.Prefix == good), "the good route");
        Assert.Empty(await _h.CandidatesAsync(bad));
        Assert.Equal(BgpSessionState.Established, _h.Status(PeerA).State);
    }

    [Fact]
    public async Task Import_policy_runs_on_received_routes()
    {
        var policy = new RoutePolicy(
        [
            new PolicyTerm("long", new PolicyMatch { Prefixes = new[] { new PrefixMatch(IpPrefix.Parse("10.0.0.0/8"), Ge: 25) } }, PolicyAction.Reject),
            new PolicyTerm("rest", PolicyMatch.Any, PolicyAction.Accept, new PolicyActions { SetLocalPref = 300 }),
        ]);
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001) with { Import = policy });
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = new[] { IpPrefix.Parse("10.13.0.0/16"), IpPrefix.Parse("10.13.0.128/25") } });
        await _h.WaitBestAsync(b => b.Count == 1, "the accepted route");
        var best = Assert.Single(await _h.Speaker.BestPathsAsync());
        Assert.Equal((IpPrefix.Parse("10.13.0.0/16"), 300u), (best.Prefix, best.Attributes.LocalPref));
    }

    private sealed class ThrowingPolicy : IRoutePolicy
    {
        public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context) =>
            throw new InvalidOperationException("a policy bug");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();
}
