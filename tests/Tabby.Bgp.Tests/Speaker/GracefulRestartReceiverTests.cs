using System.Net;
using Tabby.Bgp.Speaker;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>RFC 4724 4.2, the receiving speaker, one test per rule; the restarting peer is scripted and the clock is fake.</summary>
public sealed class GracefulRestartReceiverTests : IAsyncLifetime
{
    private const string PeerA = "192.0.2.2";
    private const string PeerB = "192.0.2.3";
    private static readonly BgpFamily s_v4 = BgpFamily.Ipv4Unicast;
    private static readonly BgpFamily s_v6 = BgpFamily.Ipv6Unicast;
    private static readonly IpPrefix s_a1 = IpPrefix.Parse("10.1.0.0/16");
    private static readonly IpPrefix s_a2 = IpPrefix.Parse("10.2.0.0/16");
    private static readonly IpPrefix s_a6 = IpPrefix.Parse("fd00:1::/48");
    private static readonly IpPrefix s_b6 = IpPrefix.Parse("fd00:2::/48");
    private readonly SpeakerHarness _h = new();

    public GracefulRestartReceiverTests()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001, s_v4, s_v6));
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerB, 65000) with { RouteReflectorClient = true });
    }

    private static BgpFamily[] Both => [s_v4, s_v6];

    private static Task<ScriptedPeer> ConnectAAsync(SpeakerHarness h, GracefulRestartCapability? restart) =>
        h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA, Both, restart));

    /// <summary>Peer A announces <paramref name="v4"/> with NEXT_HOP and <paramref name="v6"/> in MP_REACH_NLRI.</summary>
    private static void Announce(ScriptedPeer a, IpPrefix[] v4, IpPrefix[] v6)
    {
        var attributes = new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(65001), NextHop = IPAddress.Parse(PeerA) };
        if (v4.Length > 0)
            a.Send(new BgpUpdate { Attributes = attributes, Nlri = v4 });
        if (v6.Length > 0)
        {
            a.Send(new BgpUpdate
            {
                Attributes = attributes with { NextHop = null, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::2")) },
                MpReach = new MpNlri(s_v6, v6),
            });
        }
    }

    private async Task<bool?> StaleAsync(IpPrefix prefix)
    {
        var candidates = await _h.CandidatesAsync(prefix);
        return candidates.Count == 0 ? null : candidates.Single().IsStale;
    }

    private async Task RestartAAsync(ScriptedPeer a)
    {
        a.Drop();
        await _h.WaitDownAsync(PeerA);
        await _h.DrainAsync();
    }

    [Fact]
    public async Task Routes_of_families_in_the_peers_capability_are_kept_as_stale_and_the_others_removed()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, [s_v4]));
        Announce(a, [s_a1], [s_a6]);
        await _h.WaitBestAsync(b => b.Count == 2, "both routes learned");

        await RestartAAsync(a);

        Assert.True(await StaleAsync(s_a1));
        Assert.Null(await StaleAsync(s_a6));
        var v4 = _h.Status(PeerA, s_v4);
        Assert.Equal((1, 1, GracefulRestartState.Retained), (v4.PrefixesIn, v4.StalePrefixes, v4.GracefulRestart));
    }

    [Fact]
    public async Task Stale_routes_keep_being_used_and_passed_on()
    {
        var b = await _h.ConnectAsync(PeerB, SpeakerHarness.Open(65000, PeerB));
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], []);
        await b.ReadUntilAsync(p => p.Routes.ContainsKey(s_a1), "the route reflected to B");

        await RestartAAsync(a);
        var marker = IpPrefix.Parse("10.99.0.0/16");
        _h.Speaker.Originate(marker);
        await b.ReadUntilAsync(p => p.Routes.ContainsKey(marker), "the marker after the restart");

        // RFC 4724 4.2: no difference between stale and other routes in forwarding, so nothing was withdrawn.
        Assert.DoesNotContain(s_a1, b.Withdrawn);
        await _h.WaitBestAsync(best => best.Any(p => p.Prefix == s_a1 && p.IsStale), "the stale route still best");
    }

    [Fact]
    public async Task Routes_still_stale_from_an_earlier_restart_go_when_the_peer_restarts_again()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1, s_a2], []);
        await _h.WaitBestAsync(b => b.Count == 2, "both routes learned");
        await RestartAAsync(a);

        a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], []); // refreshes one route, then restarts again before End-of-RIB
        await Eventually.HoldsAsync(() => StaleAsync(s_a1).GetAwaiter().GetResult() == false, "10.1/16 refreshed");
        await RestartAAsync(a);

        Assert.True(await StaleAsync(s_a1));
        Assert.Null(await StaleAsync(s_a2));
        Assert.Equal(1, _h.Status(PeerA, s_v4).PrefixesIn);
    }

    [Fact]
    public async Task Stale_routes_go_when_the_restart_time_runs_out_before_the_session_returns()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], [s_a6]);
        await _h.WaitBestAsync(b => b.Count == 2, "both routes learned");
        await RestartAAsync(a);

        _h.Time.Advance(TimeSpan.FromSeconds(119));
        await _h.DrainAsync();
        Assert.True(await StaleAsync(s_a1));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.WaitBestAsync(b => b.Count == 0, "every stale route removed");
        Assert.Equal(0, _h.Status(PeerA).StalePrefixes);
    }

    [Fact]
    public async Task The_restart_timer_stops_when_the_session_returns_and_the_stale_path_time_bounds_the_wait_for_end_of_rib()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], []);
        await _h.WaitBestAsync(b => b.Count == 1, "the route learned");
        await RestartAAsync(a);
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        await _h.DrainAsync();
        Assert.Equal(GracefulRestartState.AwaitingEndOfRib, _h.Status(PeerA, s_v4).GracefulRestart);

        // Past the restart time: the session is back, so the restart timer no longer applies.
        _h.Time.Advance(TimeSpan.FromSeconds(120));
        await _h.DrainAsync();
        Assert.True(await StaleAsync(s_a1));

        // The stale-path time (360 s after the session returned) is the upper bound on waiting for End-of-RIB.
        _h.Time.Advance(_h.Config.StalePathTime - TimeSpan.FromSeconds(120));
        await _h.WaitBestAsync(b => b.Count == 0, "the stale route removed at the stale-path time");
    }

    [Theory]
    [InlineData("no capability")]
    [InlineData("family not listed")]
    [InlineData("forwarding state not preserved")]
    public async Task A_family_the_new_open_does_not_vouch_for_loses_its_stale_routes_at_once(string how)
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], [s_a6]);
        await _h.WaitBestAsync(b => b.Count == 2, "both routes learned");
        await RestartAAsync(a);

        var restart = how switch
        {
            "no capability" => null,
            "family not listed" => SpeakerHarness.Restart(120, [s_v4]),
            _ => SpeakerHarness.Restart(120, Both, notForwarding: [s_v6]),
        };
        await ConnectAAsync(_h, restart);
        await _h.DrainAsync();

        Assert.Null(await StaleAsync(s_a6));
        Assert.Equal(restart is null ? null : true, await StaleAsync(s_a1));
    }

    [Fact]
    public async Task End_of_rib_sweeps_only_its_own_familys_stale_routes()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1, s_a2], [s_a6, s_b6]);
        await _h.WaitBestAsync(b => b.Count == 4, "four routes learned");
        await RestartAAsync(a);

        a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        Announce(a, [s_a1], [s_a6]);
        a.Send(BgpUpdate.EndOfRib(s_v4));
        await Eventually.HoldsAsync(() => _h.Status(PeerA, s_v4).EndOfRibReceived, "IPv4 End-of-RIB handled");

        // The IPv4 route that was not resent is gone, the resent one is fresh; IPv6 still waits for its own End-of-RIB.
        Assert.Null(await StaleAsync(s_a2));
        Assert.False(await StaleAsync(s_a1));
        Assert.True(await StaleAsync(s_b6));
        Assert.Equal(1, _h.Status(PeerA, s_v6).StalePrefixes);

        a.Send(BgpUpdate.EndOfRib(s_v6));
        await Eventually.HoldsAsync(() => _h.Status(PeerA, s_v6).EndOfRibReceived, "IPv6 End-of-RIB handled");
        Assert.Null(await StaleAsync(s_b6));
        Assert.False(await StaleAsync(s_a6));
        Assert.Equal(0, _h.Status(PeerA).StalePrefixes);
    }

    [Fact]
    public async Task End_of_rib_goes_out_for_every_family_after_the_initial_table_even_an_empty_one()
    {
        var a = await ConnectAAsync(_h, SpeakerHarness.Restart(120, Both));
        await a.ReadUntilAsync(p => p.EndOfRib.Count == 2, "End-of-RIB for IPv4 and IPv6");
        Assert.Empty(a.Routes);
        await Eventually.HoldsAsync(() => _h.Status(PeerA).Families.All(f => f.EndOfRibSent), "End-of-RIB recorded as sent");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();
}
