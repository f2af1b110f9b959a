using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Session;

/// <summary>The session state machine driven directly: a scripted neighbour on an in-memory connection, and a fake clock for every timer.</summary>
public sealed class BgpSessionTests : IAsyncLifetime
{
    private const uint LocalAs = 65000;
    private const uint PeerAs = 65001;
    private static readonly IPAddress s_peerAddress = IPAddress.Parse("192.0.2.2");
    private static readonly uint s_peerId = BgpSpeakerConfig.ParseRouterId("192.0.2.2");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingListener _listener = new();
    private readonly ScriptedDialer _dialer;
    private BgpSession? _session;

    public BgpSessionTests() => _dialer = new ScriptedDialer(_time);

    private BgpSession Session => _session!;

    private static PathAttributes Attributes => new() { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(PeerAs), NextHop = s_peerAddress };

    private static BgpPeerConfig PeerConfig => new(s_peerAddress, PeerAs)
    {
        HoldTime = 9,
        ConnectRetry = TimeSpan.FromSeconds(1),
        MaxConnectRetry = TimeSpan.FromSeconds(8),
    };

    private BgpSession Create(BgpPeerConfig? peer = null, bool restarting = false)
    {
        var local = new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId("192.0.2.1"), LocalAs) { Listen = null, Restarting = restarting };
        _session = new BgpSession(peer ?? PeerConfig, local, _dialer.DialAsync, _listener, _time);
        return _session;
    }

    /// <summary>The neighbour's OPEN: IPv4 unicast, and graceful restart (with or without the N bit) when asked.</summary>
    private static BgpOpen PeerOpen(bool gracefulRestart = false, bool notification = false, ushort holdTime = 9) =>
        BgpOpen.Create(PeerAs, holdTime, s_peerId,
        [
            new MultiprotocolCapability(BgpFamily.Ipv4Unicast),
            RouteRefreshCapability.Instance,
            new FourOctetAsCapability(PeerAs),
            .. gracefulRestart
                ? new BgpCapability[] { new GracefulRestartCapability(false, notification, 120, new[] { new GracefulRestartFamily(BgpFamily.Ipv4Unicast, true) }) }
                : [],
        ]);

    /// <summary>Starts the session, answers its connection attempt and completes the OPEN exchange.</summary>
    private async Task<(ScriptedPeer Peer, BgpOpen Ours)> EstablishAsync(BgpOpen peerOpen)
    {
        _dialer.Refuse = false;
        Session.Start();
        var peer = await _dialer.NextAnsweredAsync();
        var ours = await peer.HandshakeAsync(peerOpen);
        await Eventually.HoldsAsync(() => Session.State == BgpSessionState.Established, "Established", state: () => $"{Session.State}");
        return (peer, ours);
    }

    [Theory]
    [InlineData(null, 120)] // the speaker's
    [InlineData((ushort)300, 300)] // the peer's own (a BGPPeer's maxRestartTime)
    public async Task The_open_announces_the_peers_own_restart_time_else_the_speakers(ushort? peerRestartTime, int announced)
    {
        Create(PeerConfig with { RestartTime = peerRestartTime });
        var (_, ours) = await EstablishAsync(PeerOpen(gracefulRestart: true));

        var restart = Assert.Single(ours.Capabilities.OfType<GracefulRestartCapability>());
        Assert.Equal(announced, restart.RestartTimeSeconds);
    }

    [Fact]
    public async Task Connect_retry_backs_off_while_the_peer_refuses_tcp()
    {
        Create();
        Session.Start();
        var expected = new[] { 1, 2, 4, 8, 8 };
        for (var i = 0; i < expected.Length; i++)
        {
            var attempts = i + 1;
            await Eventually.HoldsAsync(() => _dialer.Attempts == attempts && Session.State == BgpSessionState.Active, $"attempt {attempts} refused",
                state: () => $"{_dialer.Attempts} attempts, {Session.State}");
            await Session.DrainAsync();
            // Just before the delay runs out nothing happens; at it, the next attempt starts.
            _time.Advance(TimeSpan.FromSeconds(expected[i]) - TimeSpan.FromMilliseconds(1));
            await Session.DrainAsync();
            Assert.Equal(attempts, Session.ConnectAttempts);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Session.DrainAsync();
            Assert.Equal(attempts + 1, Session.ConnectAttempts);
        }
        Assert.Contains("connect failed", Session.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_that_comes_up_resets_the_backoff()
    {
        Create();
        Session.Start();
        await Eventually.HoldsAsync(() => Session.State == BgpSessionState.Active, "the first attempt refused");
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => _dialer.Attempts == 2 && Session.State == BgpSessionState.Active, "the second attempt refused");
        Assert.Equal(TimeSpan.FromSeconds(4), Session.RetryDelay);

        _dialer.Refuse = false;
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        var peer = await _dialer.NextAnsweredAsync();
        await peer.HandshakeAsync(PeerOpen());
        await Eventually.HoldsAsync(() => Session.State == BgpSessionState.Established, "Established");
        Assert.Equal(TimeSpan.FromSeconds(1), Session.RetryDelay);
    }

    [Fact]
    public async Task Keepalives_go_out_every_third_of_the_hold_time()
    {
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen(holdTime: 30));
        Assert.Equal(9, Session.Negotiated!.HoldTime); // the smaller of both sides
        for (var i = 0; i < 2; i++)
        {
            await Session.DrainAsync();
            _time.Advance(TimeSpan.FromSeconds(3));
            Assert.IsType<BgpKeepalive>(await peer.ReceiveAsync());
            peer.Send(BgpKeepalive.Instance);
        }
        Assert.Equal(BgpSessionState.Established, Session.State);
    }

    [Fact]
    public async Task Hold_timer_expiry_sends_4_0_and_flushes_a_peer_without_graceful_restart()
    {
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen());
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(9));
        var (closed, notification) = await peer.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Equal((BgpErrorCode.HoldTimerExpired, (byte)0), (notification!.Code, notification.Subcode));
        await Eventually.HoldsAsync(() => !_listener.Ends.IsEmpty, "the speaker told");
        var end = Assert.Single(_listener.Ends);
        Assert.False(end.PeerMayRestart);
        Assert.Equal("hold timer expired", end.Reason);
    }

    [Fact]
    public async Task Messages_from_the_peer_keep_the_hold_timer_from_expiring()
    {
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen());
        var received = Session.MessagesIn;
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(6));
        peer.Send(BgpKeepalive.Instance);
        await Eventually.HoldsAsync(() => Session.MessagesIn > received, "the KEEPALIVE read");
        await Session.DrainAsync();
        // Nine seconds after the handshake, but only three after the KEEPALIVE.
        _time.Advance(TimeSpan.FromSeconds(3));
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
        _time.Advance(TimeSpan.FromSeconds(5.9));
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var (_, notification) = await peer.ReadUntilClosedAsync();
        Assert.Equal(BgpErrorCode.HoldTimerExpired, notification!.Code);
    }

    [Fact]
    public async Task Updates_alone_keep_the_hold_timer_from_expiring()
    {
        // UPDATEs on an Established connection go from the reader straight to the listener, past the loop that
        // otherwise notes when the peer was last heard from: they must count as heard all the same.
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen());
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(6));
        peer.Send(new BgpUpdate { Attributes = Attributes, Nlri = new[] { IpPrefix.Parse("10.1.0.0/16") } });
        await Eventually.HoldsAsync(() => _listener.Updates.Count == 1, "the UPDATE delivered");
        await Session.DrainAsync();
        // Nine seconds after the handshake, but only three after the UPDATE.
        _time.Advance(TimeSpan.FromSeconds(3));
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
        _time.Advance(TimeSpan.FromSeconds(6));
        var (_, notification) = await peer.ReadUntilClosedAsync();
        Assert.Equal(BgpErrorCode.HoldTimerExpired, notification!.Code);
    }

    [Fact]
    public async Task Updates_reach_the_listener_in_the_order_sent_whichever_way_each_takes()
    {
        // A KEEPALIVE goes through the session loop; an UPDATE behind it must wait its turn there, and the ones after
        // may go straight again: interleaved, every UPDATE still arrives in the order it was sent.
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen());
        var sent = new List<uint>();
        for (var i = 0u; i < 400; i++)
        {
            if (i % 3 == 0)
                peer.Send(BgpKeepalive.Instance);
            peer.Send(new BgpUpdate { Attributes = Attributes with { Med = i }, Nlri = new[] { IpPrefix.Parse("10.1.0.0/16") } });
            sent.Add(i);
        }

        await Eventually.HoldsAsync(() => _listener.Updates.Count == sent.Count, "every UPDATE delivered", state: () => $"{_listener.Updates.Count}");
        Assert.Equal(sent, _listener.Updates.Select(u => u.Attributes.Med!.Value));
    }

    [Fact]
    public async Task Hold_timer_expiry_keeps_the_routes_of_a_peer_that_negotiated_the_N_bit()
    {
        Create();
        var (peer, ours) = await EstablishAsync(PeerOpen(gracefulRestart: true, notification: true));
        Assert.True(ours.GracefulRestart!.NotificationSupport);
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(9));
        var (_, notification) = await peer.ReadUntilClosedAsync();
        Assert.Equal(BgpErrorCode.HoldTimerExpired, notification!.Code);
        await Eventually.HoldsAsync(() => !_listener.Ends.IsEmpty, "the speaker told");
        Assert.True(Assert.Single(_listener.Ends).PeerMayRestart);
    }

    [Theory]
    [InlineData(false, false, "6/4", false)] // no graceful restart at all
    [InlineData(true, false, "6/4", false)]  // graceful restart without the N bit: a NOTIFICATION ends it (RFC 4724)
    [InlineData(true, true, "6/4", true)]    // with the N bit, a NOTIFICATION keeps the routes (RFC 8538)
    [InlineData(true, true, "6/9", false)]   // ... except a Hard Reset
    [InlineData(true, false, "none", true)]  // a lost connection keeps them whenever graceful restart was negotiated
    [InlineData(false, false, "none", false)]
    public async Task What_ends_a_session_decides_whether_the_peers_routes_are_kept(bool gracefulRestart, bool notificationBit, string how, bool kept)
    {
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen(gracefulRestart, notificationBit));
        switch (how)
        {
            case "6/4":
                peer.Send(BgpNotification.Cease(CeaseSubcode.AdministrativeReset));
                break;
            case "6/9":
                peer.Send(BgpNotification.HardReset(BgpNotification.Cease(CeaseSubcode.AdministrativeShutdown)));
                break;
            default:
                peer.Drop();
                break;
        }
        await Eventually.HoldsAsync(() => !_listener.Ends.IsEmpty, "the session to end");
        var end = Assert.Single(_listener.Ends);
        Assert.Equal(kept, end.PeerMayRestart);
        Assert.Equal(how != "none", end.Received is not null);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task An_administrative_stop_is_a_hard_reset_when_both_sides_sent_the_N_bit(bool gracefulRestart, bool notificationBit)
    {
        Create();
        var (peer, _) = await EstablishAsync(PeerOpen(gracefulRestart, notificationBit));
        Session.Stop();
        var (_, notification) = await peer.ReadUntilClosedAsync();
        if (notificationBit)
        {
            Assert.True(notification!.IsHardReset);
            Assert.Equal(new byte[] { 6, 2 }, notification.Data.AsSpan().ToArray()); // wrapping Cease/Administrative Shutdown
            Assert.Contains("Administrative Shutdown", notification.DescribeData(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((BgpErrorCode.Cease, (byte)CeaseSubcode.AdministrativeShutdown), (notification!.Code, notification.Subcode));
        }
        await Eventually.HoldsAsync(() => !_listener.Ends.IsEmpty, "the session to end");
        Assert.False(Assert.Single(_listener.Ends).PeerMayRestart);
    }

    [Fact]
    public async Task A_restarted_peer_calling_while_its_old_session_looks_up_replaces_it()
    {
        Create();
        var (oldPeer, _) = await EstablishAsync(PeerOpen(gracefulRestart: true));
        // Past the moment a crossing call of the peer's could still arrive (see the next test).
        _time.Advance(BgpSession.CollisionWindow);
        var (ours, theirs) = MemoryTransport.Pair(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 179), new IPEndPoint(s_peerAddress, 50000));
        using var newPeer = new ScriptedPeer(theirs);
        Session.AcceptInbound(ours);

        // RFC 4724 4.2: the old connection is closed without a NOTIFICATION (its routes become stale) ...
        var (closed, notification) = await oldPeer.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Null(notification);
        await Eventually.HoldsAsync(() => !_listener.Ends.IsEmpty, "the old session to end");
        Assert.True(Assert.Single(_listener.Ends).PeerMayRestart);
        // ... and the new one is kept and comes up.
        await newPeer.HandshakeAsync(PeerOpen(gracefulRestart: true));
        await Eventually.HoldsAsync(() => _listener.Established == 2, "the new session up");
        Assert.Equal(["up", "down", "up"], _listener.Events.ToArray());
    }

    [Fact]
    public async Task The_peers_call_crossing_ours_just_as_ours_came_up_is_a_collision_not_a_restart()
    {
        // Two mesh hosts dial each other at once; ours is Established first and the peer's call lands right after.
        // Taken for a restart it replaced the connection the peer was Established on, while the peer closed the one
        // kept here: both sessions flapped at start-up.
        Create();
        var (oldPeer, _) = await EstablishAsync(PeerOpen(gracefulRestart: true));
        var (ours, theirs) = MemoryTransport.Pair(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 179), new IPEndPoint(s_peerAddress, 50000));
        using var crossing = new ScriptedPeer(theirs);
        Session.AcceptInbound(ours);

        var (_, notification) = await crossing.ReadUntilClosedAsync();
        Assert.Equal((BgpErrorCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution), (notification!.Code, notification.Subcode));
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
        Assert.Empty(_listener.Ends);
        Assert.Equal(["up"], _listener.Events.ToArray());
        // The kept connection still carries the session: a KEEPALIVE on it is taken in stride.
        oldPeer.Send(BgpKeepalive.Instance);
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
    }

    [Fact]
    public async Task Without_graceful_restart_a_second_connection_while_established_loses_the_collision()
    {
        Create();
        var (oldPeer, _) = await EstablishAsync(PeerOpen(gracefulRestart: false));
        var (ours, theirs) = MemoryTransport.Pair(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 179), new IPEndPoint(s_peerAddress, 50000));
        using var newPeer = new ScriptedPeer(theirs);
        Session.AcceptInbound(ours);
        var (_, notification) = await newPeer.ReadUntilClosedAsync();
        Assert.Equal((BgpErrorCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution), (notification!.Code, notification.Subcode));
        await Session.DrainAsync();
        Assert.Equal(BgpSessionState.Established, Session.State);
        Assert.Empty(_listener.Ends);
    }

    [Fact]
    public async Task The_restart_bit_is_set_only_on_the_first_session_after_a_restart()
    {
        Create(restarting: true);
        var (peer, first) = await EstablishAsync(PeerOpen(gracefulRestart: true));
        Assert.True(first.GracefulRestart!.Restarting);
        Assert.True(first.GracefulRestart.Families[0].ForwardingStatePreserved);

        peer.Drop();
        await Eventually.HoldsAsync(() => Session.State == BgpSessionState.Idle, "the session down");
        await Session.DrainAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = await _dialer.NextAnsweredAsync();
        var second = await again.HandshakeAsync(PeerOpen(gracefulRestart: true));
        Assert.False(second.GracefulRestart!.Restarting);
    }

    [Fact]
    public async Task Whether_a_peer_is_external_comes_from_the_configured_as()
    {
        await using (var external = Create(PeerConfig))
            Assert.True(external.IsExternal);
        Assert.False(Create(PeerConfig with { RemoteAs = LocalAs }).IsExternal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_session is not null)
            await _session.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
    }
}
