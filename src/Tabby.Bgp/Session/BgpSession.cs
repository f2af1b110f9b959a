using System.Net.Sockets;
using System.Net;
using System.Threading.Channels;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session.States;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>One neighbour's BGP session: the RFC 4271 state machine, its timers, and its TCP connections.</summary>
/// <remarks>
/// All state changes happen on one loop that drains an event queue, so the states (one class each
/// under States/) need no locks. Readers, connectors and timers only post events. A connection
/// collision (RFC 4271 6.8) keeps both connections until the second OPEN decides which survives.
/// </remarks>
public sealed class BgpSession : IAsyncDisposable
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BgpSpeakerConfig _local;
    private readonly BgpSocketFactory _sockets;
    private readonly ISessionListener _listener;
    private readonly TimeProvider _time;
    private readonly Dictionary<SessionTimer, (ITimer Timer, int Generation)> _timers = [];
    private readonly Task _loop;
    private SessionStateHandler _state = IdleState.Instance;
    private int _connectAttempt;
    private int _connectionIds;
    private TimeSpan _retryDelay;
    private long _lastReceivedTicks;
    private bool _adminDown = true;

    internal BgpSession(BgpPeerConfig peer, BgpSpeakerConfig local, BgpSocketFactory sockets, ISessionListener listener, TimeProvider time)
    {
        Peer = peer;
        _local = local;
        _sockets = sockets;
        _listener = listener;
        _time = time;
        _retryDelay = peer.ConnectRetry;
        _loop = Task.Run(RunAsync);
    }

    public BgpPeerConfig Peer { get; }
    public BgpSessionState State => _state.Kind;
    public NegotiatedSession? Negotiated { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? EstablishedAt { get; private set; }
    public int EstablishedTransitions { get; private set; }

    public long MessagesIn => Current?.MessagesIn ?? 0;
    public long MessagesOut => Current?.MessagesOut ?? 0;

    /// <summary>The connection that carries (or is negotiating) the session.</summary>
    internal BgpConnection? Current { get; set; }

    /// <summary>What the OPENs agreed, held between OpenSent and the first KEEPALIVE.</summary>
    internal NegotiatedSession? Pending { get; set; }

    /// <summary>A second connection during a collision, waiting for its OPEN.</summary>
    internal BgpConnection? Contender { get; set; }

    internal BgpSpeakerConfig Local => _local;

    public void Start() => Post(new SessionEvent.Start());

    public void Stop(CeaseSubcode reason = CeaseSubcode.AdministrativeShutdown) => Post(new SessionEvent.Stop(reason));

    /// <summary>Hands over a connection the speaker accepted from this peer's address.</summary>
    public void AcceptInbound(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var connection = new BgpConnection(socket, inbound: true, Interlocked.Increment(ref _connectionIds));
        Post(new SessionEvent.Inbound(connection));
    }

    /// <summary>Queues encoded UPDATEs for the peer; only meaningful while Established.</summary>
    public Task SendAsync(IReadOnlyList<byte[]> messages) =>
        State == BgpSessionState.Established && Current is { } c ? c.SendManyAsync(messages) : Task.CompletedTask;

    public Task SendAsync(BgpMessage message) =>
        State == BgpSessionState.Established && Current is { } c ? c.SendAsync(message) : Task.CompletedTask;

    internal void Post(SessionEvent e) => _events.Writer.TryWrite(e);

    private async Task RunAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await Dispatch(e).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // A send failed under us: the connection is gone, and the reader will say so too.
                LastError = ex.Message;
                if (Current is not null)
                    await DropToIdleAsync($"connection failed: {ex.Message}", notification: null).ConfigureAwait(false);
            }
        }
    }

    private async Task Dispatch(SessionEvent e)
    {
        switch (e)
        {
            case SessionEvent.Start:
                _adminDown = false;
                if (State == BgpSessionState.Idle)
                    await _state.OnStartAsync(this).ConfigureAwait(false);
                return;
            case SessionEvent.Stop stop:
                _adminDown = true;
                CancelTimer(SessionTimer.IdleHold);
                await DropToIdleAsync("administratively stopped", new BgpNotification(BgpErrorCode.Cease, (byte)stop.Reason)).ConfigureAwait(false);
                return;
            case SessionEvent.TimerFired t when !IsLive(t):
                return;
            case SessionEvent.TimerFired { Timer: SessionTimer.IdleHold }:
                if (!_adminDown && State == BgpSessionState.Idle)
                    await _state.OnStartAsync(this).ConfigureAwait(false);
                return;
            case SessionEvent.TimerFired { Timer: SessionTimer.Hold } when HoldStillRunning():
                return;
            case SessionEvent.Inbound inbound when _adminDown:
                await inbound.Connection.DisposeAsync().ConfigureAwait(false);
                return;
            case SessionEvent.Received r when r.Connection == Contender && r.Message is BgpOpen open:
                await ResolveCollisionAsync(open).ConfigureAwait(false);
                return;
            case SessionEvent.Received r when r.Connection != Current:
            case SessionEvent.DecodeFailed d when d.Connection != Current:
            case SessionEvent.Closed c when c.Connection != Current:
                await DropContenderIf(e).ConfigureAwait(false);
                return;
            case SessionEvent.Received r:
                Interlocked.Exchange(ref _lastReceivedTicks, _time.GetTimestamp());
                break;
        }
        await _state.HandleAsync(this, e).ConfigureAwait(false);
    }

    // ---- operations the states use ----

    internal void TransitionTo(SessionStateHandler next) => _state = next;

    internal void BeginConnect()
    {
        var attempt = ++_connectAttempt;
        ArmTimer(SessionTimer.ConnectRetry, _retryDelay);
        _ = Task.Run(async () =>
        {
            Socket? socket = null;
            try
            {
                socket = _sockets(Peer.Address.AddressFamily);
                SocketOptions.Apply(socket, Peer);
                if (Peer.LocalAddress is { } local)
                    socket.Bind(new IPEndPoint(local, 0));
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, _retryDelay.TotalSeconds)));
                await socket.ConnectAsync(new IPEndPoint(Peer.Address, Peer.Port), timeout.Token).ConfigureAwait(false);
                Post(new SessionEvent.Connected(new BgpConnection(socket, inbound: false, Interlocked.Increment(ref _connectionIds)), attempt));
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                socket?.Dispose();
                Post(new SessionEvent.ConnectFailed(attempt, e.Message));
            }
        });
    }

    internal bool IsCurrentAttempt(int attempt) => attempt == _connectAttempt;

    /// <summary>Adopts a connection, starts reading from it and sends our OPEN.</summary>
    internal async Task OpenAsync(BgpConnection connection)
    {
        Current = connection;
        CancelTimer(SessionTimer.ConnectRetry);
        StartReading(connection);
        await connection.SendOpenAsync(BuildOpen()).ConfigureAwait(false);
        // RFC 4271 8: a large hold time (4 minutes) until the OPENs agree on the real one.
        ArmTimer(SessionTimer.Hold, TimeSpan.FromMinutes(4));
    }

    internal void StartReading(BgpConnection connection) =>
        _ = Task.Run(() => connection.ReadAsync(
            (c, m) => Post(new SessionEvent.Received(c, m)),
            (c, e) => Post(new SessionEvent.DecodeFailed(c, e)),
            (c, e) => Post(new SessionEvent.Closed(c, e?.Message ?? "closed by the peer"))));

    internal BgpOpen BuildOpen()
    {
        var capabilities = new List<BgpCapability>();
        foreach (var family in Peer.Families)
            capabilities.Add(new MultiprotocolCapability(family));
        capabilities.Add(RouteRefreshCapability.Instance);
        capabilities.Add(new FourOctetAsCapability(_local.As));
        if (Peer.GracefulRestart)
        {
            capabilities.Add(new GracefulRestartCapability(
                _local.Restarting,
                NotificationSupport: false,
                Math.Min(_local.RestartTime, GracefulRestartCapability.MaxRestartTime),
                new ValueList<GracefulRestartFamily>(Peer.Families.Select(f => new GracefulRestartFamily(f, ForwardingStatePreserved: _local.Restarting)).ToArray())));
        }
        return BgpOpen.Create(_local.As, Peer.HoldTime, _local.RouterId, capabilities);
    }

    /// <summary>Checks the peer's OPEN against the configuration (RFC 4271 6.2); throws the NOTIFICATION to send.</summary>
    internal NegotiatedSession Negotiate(BgpConnection connection, BgpOpen open)
    {
        BgpOpenValidator.Validate(open, Peer.RemoteAs, _local.RouterId, isInternal: Peer.RemoteAs == _local.As);
        var families = Peer.Families.Where(open.Families.Contains).ToList();
        var hold = (ushort)Math.Min(open.HoldTime, Peer.HoldTime);
        return new NegotiatedSession(open.BgpIdentifier, open.EffectiveAs, hold, open.SupportsFourOctetAs, open.SupportsRouteRefresh,
            families, open.GracefulRestart, connection.Local, connection.Remote);
    }

    internal void ArmNegotiatedTimers(ushort holdTime)
    {
        if (holdTime == 0)
        {
            CancelTimer(SessionTimer.Hold);
            CancelTimer(SessionTimer.Keepalive);
            return;
        }
        Interlocked.Exchange(ref _lastReceivedTicks, _time.GetTimestamp());
        ArmTimer(SessionTimer.Hold, TimeSpan.FromSeconds(holdTime));
        ArmTimer(SessionTimer.Keepalive, TimeSpan.FromSeconds(Math.Max(1, holdTime / 3)), periodic: true);
    }

    internal void EnterEstablished(NegotiatedSession negotiated)
    {
        Negotiated = negotiated;
        EstablishedAt = _time.GetUtcNow();
        EstablishedTransitions++;
        _retryDelay = Peer.ConnectRetry;
        LastError = null;
        _listener.SessionEstablished(this, negotiated);
    }

    internal void Deliver(BgpUpdate update) => _listener.UpdateReceived(this, update);

    internal void DeliverRouteRefresh(BgpFamily family) => _listener.RouteRefreshReceived(this, family);

    /// <summary>Leaves the session: optional NOTIFICATION, close, tell the speaker, back off and (unless stopped) try again.</summary>
    internal async Task DropToIdleAsync(string reason, BgpNotification? notification)
    {
        var wasEstablished = State == BgpSessionState.Established;
        LastError = reason;
        foreach (var timer in new[] { SessionTimer.ConnectRetry, SessionTimer.Hold, SessionTimer.Keepalive })
            CancelTimer(timer);
        _connectAttempt++;
        var connection = Current;
        Current = null;
        if (connection is not null)
        {
            if (notification is not null)
            {
                try
                {
                    await connection.SendAsync(notification).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
                {
                    // The peer may be gone already; closing is what matters.
                }
            }
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        if (Contender is { } contender)
        {
            Contender = null;
            await contender.DisposeAsync().ConfigureAwait(false);
        }
        _state = IdleState.Instance;
        if (wasEstablished)
        {
            var peerMayRestart = notification is null && Negotiated?.PeerGracefulRestart is not null;
            _listener.SessionDown(this, reason, peerMayRestart);
        }
        if (!_adminDown)
        {
            ArmTimer(SessionTimer.IdleHold, _retryDelay);
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, Peer.MaxConnectRetry.Ticks));
        }
    }

    internal void ArmTimer(SessionTimer timer, TimeSpan due, bool periodic = false)
    {
        var generation = _timers.TryGetValue(timer, out var old) ? old.Generation + 1 : 1;
        old.Timer?.Dispose();
        var created = _time.CreateTimer(_ => Post(new SessionEvent.TimerFired(timer, generation)), null, due, periodic ? due : Timeout.InfiniteTimeSpan);
        _timers[timer] = (created, generation);
    }

    internal void CancelTimer(SessionTimer timer)
    {
        if (_timers.TryGetValue(timer, out var entry))
        {
            entry.Timer.Dispose();
            _timers[timer] = (NullTimer.Instance, entry.Generation + 1);
        }
    }

    private bool IsLive(SessionEvent.TimerFired fired) => _timers.TryGetValue(fired.Timer, out var entry) && entry.Generation == fired.Generation;

    /// <summary>The hold timer is checked against the last message received instead of being re-armed for each one: 100,000 UPDATEs must not mean 100,000 timer resets.</summary>
    private bool HoldStillRunning()
    {
        if (State is not (BgpSessionState.OpenConfirm or BgpSessionState.Established) || Negotiated is null && State == BgpSessionState.Established)
            return false;
        var hold = TimeSpan.FromSeconds(Negotiated?.HoldTime ?? 240);
        var since = _time.GetElapsedTime(Interlocked.Read(ref _lastReceivedTicks));
        if (since >= hold)
            return false;
        ArmTimer(SessionTimer.Hold, hold - since);
        return true;
    }

    private async Task ResolveCollisionAsync(BgpOpen open)
    {
        // RFC 4271 6.8: keep the connection opened by the speaker with the higher BGP identifier.
        var contender = Contender!;
        Contender = null;
        var keepContender = (open.BgpIdentifier > _local.RouterId) == contender.Inbound;
        var loser = keepContender ? Current : contender;
        if (keepContender)
        {
            Current = contender;
            await contender.SendOpenAsync(BuildOpen()).ConfigureAwait(false);
            _state = OpenSentState.Instance;
            await _state.HandleAsync(this, new SessionEvent.Received(contender, open)).ConfigureAwait(false);
        }
        if (loser is not null)
        {
            try
            {
                await loser.SendAsync(new BgpNotification(BgpErrorCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution)).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
            {
                // Best effort: the loser is closed either way.
            }
            await loser.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task DropContenderIf(SessionEvent e)
    {
        var connection = e switch
        {
            SessionEvent.Received r => r.Connection,
            SessionEvent.DecodeFailed d => d.Connection,
            SessionEvent.Closed c => c.Connection,
            _ => null,
        };
        if (connection is not null && connection == Contender && e is not SessionEvent.Received)
        {
            Contender = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal async Task TakeContenderAsync(BgpConnection inbound)
    {
        // A second connection while negotiating: read its OPEN, then the collision rule decides.
        if (Contender is not null)
        {
            await inbound.DisposeAsync().ConfigureAwait(false);
            return;
        }
        Contender = inbound;
        StartReading(inbound);
    }

    public async ValueTask DisposeAsync()
    {
        Stop(CeaseSubcode.PeerDeconfigured);
        _events.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var (timer, _) in _timers.Values)
            timer.Dispose();
    }
}
