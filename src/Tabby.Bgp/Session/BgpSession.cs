using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session.States;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>One neighbour's BGP session: the RFC 4271 state machine, its timers, and its TCP connections.</summary>
/// <remarks>
/// All state changes happen on one loop that drains an event queue, so the states (one class each
/// under States/) need no locks. Readers, connectors and timers only post events; every task the
/// session starts is tracked and awaited on dispose, and a failure in one is logged and ends the
/// connection rather than vanishing. A connection collision (RFC 4271 6.8) keeps both connections
/// until the second OPEN decides which survives, except that a peer which negotiated graceful restart
/// and reconnects while its old session still looks Established has restarted: the old connection is
/// closed and the new one kept (RFC 4724 4.2).
/// </remarks>
public sealed partial class BgpSession : IAsyncDisposable
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BgpSpeakerConfig _local;
    private readonly BgpDialer _dialer;
    private readonly ISessionListener _listener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _external;
    private readonly Dictionary<SessionTimer, (ITimer Timer, int Generation)> _timers = [];
    private readonly List<Task> _background = [];
    private readonly Task _loop;
    private SessionStateHandler _state = IdleState.Instance;
    private int _connectAttempt;
    private int _connectionIds;
    private TimeSpan _retryDelay;
    private long _lastReceivedTicks;
    private bool _adminDown = true;
    private long _messagesIn;
    private long _messagesOut;

    // The Established connection whose UPDATEs its reader hands straight to the listener (DeliverOrPost). Set and
    // cleared by the loop under the gate, so no such UPDATE can slip in after the listener hears the session is down.
    private readonly Lock _directGate = new();
    private BgpConnection? _direct;

    internal BgpSession(BgpPeerConfig peer, BgpSpeakerConfig local, BgpDialer dialer, ISessionListener listener, TimeProvider time, ILogger? logger = null)
    {
        Peer = peer;
        _local = local;
        _dialer = dialer;
        _listener = listener;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _external = peer.RemoteAs != local.As;
        _retryDelay = peer.ConnectRetry;
        _loop = Task.Run(RunAsync);
    }

    public BgpPeerConfig Peer { get; }
    public BgpSessionState State => _state.Kind;
    public NegotiatedSession? Negotiated { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? EstablishedAt { get; private set; }
    public int EstablishedTransitions { get; private set; }

    /// <summary>Whether the peer is eBGP: from the configured remote AS, decided once.</summary>
    public bool IsExternal => _external;

    /// <summary>Messages over every connection this session has had (the current one's are added live).</summary>
    public long MessagesIn => Interlocked.Read(ref _messagesIn) + (Current?.MessagesIn ?? 0);

    public long MessagesOut => Interlocked.Read(ref _messagesOut) + (Current?.MessagesOut ?? 0);

    /// <summary>The last NOTIFICATION sent to or received from the peer, for status.</summary>
    public BgpNotification? LastNotificationSent { get; private set; }

    public BgpNotification? LastNotificationReceived { get; private set; }

    /// <summary>The delay before the next automatic connection attempt; grows on every failure (RFC 4271 8.1.1, with backoff).</summary>
    internal TimeSpan RetryDelay => _retryDelay;

    /// <summary>The connection that carries (or is negotiating) the session.</summary>
    internal BgpConnection? Current { get; set; }

    /// <summary>What the OPENs agreed, held between OpenSent and the first KEEPALIVE.</summary>
    internal NegotiatedSession? Pending { get; set; }

    /// <summary>A second connection during a collision, waiting for its OPEN.</summary>
    internal BgpConnection? Contender { get; set; }

    internal BgpSpeakerConfig Local => _local;

    internal ILogger Logger => _logger;

    public void Start() => Post(new SessionEvent.Start());

    public void Stop(CeaseSubcode reason = CeaseSubcode.AdministrativeShutdown)
    {
        EndDirectDelivery();
        Post(new SessionEvent.Stop(reason));
    }

    /// <summary>
    /// Stops the session by closing its connection without a NOTIFICATION: a peer that negotiated graceful restart
    /// with us keeps our routes as stale for our restart time (RFC 4724 4.2), as it would if we had crashed.
    /// </summary>
    public void CloseForRestart()
    {
        EndDirectDelivery();
        Post(new SessionEvent.Stop(CeaseSubcode.AdministrativeShutdown, Notify: false));
    }

    /// <summary>Resets the session with a Cease and lets it come back on its own (a local failure the peer should know about).</summary>
    public void Reset(string reason)
    {
        EndDirectDelivery();
        Post(new SessionEvent.Reset(reason));
    }

    /// <summary>From now on UPDATEs queue behind what was just posted (a reset or stop), which then drops them, as
    /// before direct delivery: none reaches the speaker in the moment between the decision and the session's end.</summary>
    private void EndDirectDelivery()
    {
        lock (_directGate)
            _direct = null;
    }

    /// <summary>Hands over a connection the speaker accepted from this peer's address.</summary>
    public void AcceptInbound(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        AcceptInbound(new SocketTransport(socket));
    }

    internal void AcceptInbound(IBgpTransport transport)
    {
        var connection = new BgpConnection(transport, inbound: true, Interlocked.Increment(ref _connectionIds), _external);
        if (!_events.Writer.TryWrite(new SessionEvent.Inbound(connection)))
            transport.Dispose(); // the session is gone
    }

    /// <summary>Queues encoded UPDATEs for the peer; only meaningful while Established.</summary>
    public Task SendAsync(IReadOnlyList<byte[]> messages) =>
        State == BgpSessionState.Established && Current is { } c ? c.SendManyAsync(messages) : Task.CompletedTask;

    public Task SendAsync(BgpMessage message) =>
        State == BgpSessionState.Established && Current is { } c ? c.SendAsync(message) : Task.CompletedTask;

    internal void Post(SessionEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Waits until every event queued so far has been handled.</summary>
    internal Task DrainAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new SessionEvent.Probe(done));
        return done.Task;
    }

    /// <summary>Outgoing connection attempts begun so far.</summary>
    internal int ConnectAttempts { get; private set; }

    private async Task RunAsync()
    {
        using var scope = _logger.BeginScope("peer {Peer}", Peer.ToString());
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // A send that pended resumes on whichever thread saw the socket writable: an event thread when completions
            // run inline (InlineSocketCompletions). The loop logs, takes locks and may run a RIB turn, so it goes back to
            // the pool before its next event instead of holding every other socket's events behind it.
            if (!Thread.CurrentThread.IsThreadPoolThread)
                await Task.Yield();
            try
            {
                await Dispatch(e).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // A send failed under us: the connection is gone, and the reader will say so too.
                if (Current is not null)
                    await DropToIdleAsync($"connection failed: {ex.Message}", sent: null, received: null).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A bug, not the network: say so, and start over rather than leave the session wedged.
                Log.LoopFailed(_logger, e.GetType().Name, State, ex);
                if (Current is not null)
                {
                    await DropToIdleAsync($"internal error: {ex.Message}", BgpNotification.Cease(CeaseSubcode.AdministrativeReset, "internal error"), received: null)
                        .ConfigureAwait(false);
                }
            }
            finally
            {
                if (e is SessionEvent.Received received)
                    received.Connection.MessageHandled();
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
                if (stop.Notify)
                    await DropToIdleAsync(stop.Reason == CeaseSubcode.PeerDeconfigured ? "peer removed" : "administratively stopped", AdministrativeCease(stop.Reason), received: null)
                        .ConfigureAwait(false);
                else
                    await DropToIdleAsync("closed for a restart, without a NOTIFICATION (the peer keeps our routes under graceful restart)", sent: null, received: null)
                        .ConfigureAwait(false);
                return;
            case SessionEvent.Probe probe:
                probe.Done.TrySetResult();
                return;
            case SessionEvent.Reset reset:
                if (Current is not null)
                    await DropToIdleAsync(reset.Reason, BgpNotification.Cease(CeaseSubcode.AdministrativeReset, reset.Reason), received: null).ConfigureAwait(false);
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
                Log.InboundRefused(_logger, inbound.Connection.Remote);
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

    /// <summary>The Cease for an administrative stop: wrapped in a Hard Reset when both sides sent the N bit, so the peer flushes our routes instead of keeping them as stale (RFC 8538 5).</summary>
    private BgpNotification AdministrativeCease(CeaseSubcode reason)
    {
        var cease = BgpNotification.Cease(reason);
        return NotificationRestartNegotiated ? BgpNotification.HardReset(cease) : cease;
    }

    /// <summary>Both OPENs carried the graceful-restart N bit (RFC 8538): a NOTIFICATION other than Hard Reset keeps routes too.</summary>
    internal bool NotificationRestartNegotiated =>
        Peer.GracefulRestart && Peer.GracefulRestartNotification && Negotiated?.PeerGracefulRestart is { NotificationSupport: true };

    // ---- operations the states use ----

    internal void TransitionTo(SessionStateHandler next)
    {
        if (ReferenceEquals(next, _state))
            return;
        var from = _state.Kind;
        _state = next;
        if (next.Kind == BgpSessionState.Established)
            Log.Established(_logger, from, next.Kind);
        else
            Log.StateChanged(_logger, from, next.Kind);
    }

    internal void BeginConnect()
    {
        var attempt = ++_connectAttempt;
        ConnectAttempts++;
        // The retry timer doubles as the connection timeout: a SYN into the void is retried like a refusal.
        ArmTimer(SessionTimer.ConnectRetry, _retryDelay);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, _retryDelay.TotalSeconds));
        Observe(async () =>
        {
            try
            {
                using var cancel = new CancellationTokenSource(timeout);
                var transport = await _dialer(Peer, cancel.Token).ConfigureAwait(false);
                if (!_events.Writer.TryWrite(new SessionEvent.Connected(new BgpConnection(transport, inbound: false, Interlocked.Increment(ref _connectionIds), _external), attempt)))
                    transport.Dispose(); // the session is gone
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                Post(new SessionEvent.ConnectFailed(attempt, e is OperationCanceledException ? "timed out" : e.Message));
            }
        }, "connect", e => Post(new SessionEvent.ConnectFailed(attempt, $"connect failed: {e.Message}")));
    }

    internal bool IsCurrentAttempt(int attempt) => attempt == _connectAttempt;

    /// <summary>A connection attempt failed or timed out: wait, longer each time, before the next (a peer that refuses TCP is not hammered).</summary>
    internal void ConnectFailed(string reason)
    {
        LastError = $"connect failed: {reason}";
        Log.ConnectFailed(_logger, Peer.Address, Peer.Port, reason, _retryDelay.TotalSeconds);
        ArmTimer(SessionTimer.ConnectRetry, _retryDelay);
        GrowRetryDelay();
    }

    /// <summary>The retry timer fired while a connection attempt was still pending: give up on it and try again, later next time.</summary>
    internal void ConnectTimedOut()
    {
        Log.ConnectFailed(_logger, Peer.Address, Peer.Port, "timed out", _retryDelay.TotalSeconds);
        GrowRetryDelay();
        BeginConnect();
    }

    private void GrowRetryDelay() =>
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, Math.Max(Peer.MaxConnectRetry.Ticks, Peer.ConnectRetry.Ticks)));

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
        Observe(() => connection.ReadAsync(
            DeliverOrPost,
            (c, e) => Post(new SessionEvent.DecodeFailed(c, e)),
            (c, e) => Post(new SessionEvent.Closed(c, e?.Message ?? "closed by the peer"))),
            "reader", e => Post(new SessionEvent.Closed(connection, $"reader failed: {e.Message}")));

    /// <summary>
    /// The reader's hand-off. An UPDATE on the Established connection, with nothing of that connection still queued
    /// on the loop, goes straight to the listener: the loop would only pass it on, and its turn cost the first route
    /// of a burst a thread wake-up (0.2 to 2 ms on busy cores). Everything else, and any UPDATE behind a queued
    /// message, goes through the loop in order.
    /// </summary>
    private void DeliverOrPost(BgpConnection connection, BgpMessage message)
    {
        if (message is BgpUpdate update && ReferenceEquals(Volatile.Read(ref _direct), connection) && !connection.HasQueuedMessages)
        {
            lock (_directGate)
            {
                if (ReferenceEquals(_direct, connection))
                {
                    Interlocked.Exchange(ref _lastReceivedTicks, _time.GetTimestamp());
                    _listener.UpdateReceived(this, update);
                    return;
                }
            }
        }
        connection.MessageQueued();
        Post(new SessionEvent.Received(connection, message));
    }

    /// <summary>Runs background work the session owns: tracked until it ends, and a failure is logged and reported, never lost.</summary>
    private void Observe(Func<Task> work, string what, Action<Exception> onFailure)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.BackgroundFailed(_logger, what, e);
                onFailure(e);
            }
        });
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    internal BgpOpen BuildOpen()
    {
        var capabilities = new List<BgpCapability>();
        foreach (var family in Peer.Families)
            capabilities.Add(new MultiprotocolCapability(family));
        capabilities.Add(RouteRefreshCapability.Instance);
        capabilities.Add(new FourOctetAsCapability(_local.As));
        if (Peer.GracefulRestart)
        {
            // RFC 4724 4.2: the R bit only on the first session after our own restart; a later flap of a
            // speaker that kept running is not a restart.
            var restarted = _local.Restarting && EstablishedTransitions == 0;
            capabilities.Add(new GracefulRestartCapability(
                restarted,
                Peer.GracefulRestartNotification,
                Math.Min(Peer.RestartTime ?? _local.RestartTime, GracefulRestartCapability.MaxRestartTime),
                new ValueList<GracefulRestartFamily>(Peer.Families.Select(f => new GracefulRestartFamily(f, ForwardingStatePreserved: restarted)).ToArray())));
        }
        return BgpOpen.Create(_local.As, Peer.HoldTime, _local.RouterId, capabilities);
    }

    /// <summary>Checks the peer's OPEN against the configuration (RFC 4271 6.2); throws the NOTIFICATION to send.</summary>
    internal NegotiatedSession Negotiate(BgpConnection connection, BgpOpen open)
    {
        BgpOpenValidator.Validate(open, Peer.RemoteAs, _local.RouterId, isInternal: !_external);
        var families = Peer.Families.Where(open.Families.Contains).ToList();
        var hold = (ushort)Math.Min(open.HoldTime, Peer.HoldTime);
        return new NegotiatedSession(open.BgpIdentifier, open.EffectiveAs, hold, open.SupportsFourOctetAs, open.SupportsRouteRefresh,
            families, Peer.GracefulRestart ? open.GracefulRestart : null, connection.Local, connection.Remote);
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
        _retryDelay = Peer.ConnectRetry;
        LastError = null;
        _listener.SessionEstablished(this, negotiated);
        // Counted after the owner was told, so whoever sees the count knows the owner has heard of this session.
        EstablishedTransitions++;
        // After the listener heard of the session, so a direct UPDATE can never overtake it.
        lock (_directGate)
            _direct = Current;
    }

    /// <summary>How long after our own outgoing connection came up an inbound one is the peer's crossing call (RFC 4271
    /// 6.8), not a restart: a peer that restarts that soon finds its call refused and its old connection closed by its own
    /// kernel, and comes back on its next try.</summary>
    internal static readonly TimeSpan CollisionWindow = TimeSpan.FromSeconds(2);

    /// <summary>Established on a connection we opened, less than <see cref="CollisionWindow"/> ago.</summary>
    internal bool JustEstablishedOutbound() =>
        Current is { Inbound: false } && EstablishedAt is { } at && _time.GetUtcNow() - at < CollisionWindow;

    internal void Deliver(BgpUpdate update) => _listener.UpdateReceived(this, update);

    internal void DeliverRouteRefresh(BgpFamily family) => _listener.RouteRefreshReceived(this, family);

    internal Task NotificationReceivedAsync(BgpNotification notification) =>
        DropToIdleAsync($"peer sent {notification}", sent: null, received: notification);

    /// <summary>
    /// RFC 4724 4.2: the peer opened a new connection while its old session still looks Established, and it
    /// negotiated graceful restart: it restarted. Close the old connection without a NOTIFICATION (its routes
    /// become stale), and negotiate on the new one.
    /// </summary>
    internal async Task ReplaceRestartedPeerAsync(BgpConnection inbound)
    {
        Log.PeerRestarted(_logger, inbound.Remote);
        await DropToIdleAsync("the peer reconnected after a restart", sent: null, received: null, restart: false).ConfigureAwait(false);
        CancelTimer(SessionTimer.IdleHold);
        await OpenAsync(inbound).ConfigureAwait(false);
        TransitionTo(OpenSentState.Instance);
    }

    /// <summary>Leaves the session: optional NOTIFICATION, close, tell the speaker, back off and (unless stopped, or <paramref name="restart"/> is false) try again.</summary>
    internal async Task DropToIdleAsync(string reason, BgpNotification? sent, BgpNotification? received, bool restart = true)
    {
        var wasEstablished = State == BgpSessionState.Established;
        // Before the listener hears the session is down: from here on the reader's UPDATEs go through the loop,
        // which drops what arrives on a connection no longer current.
        EndDirectDelivery();
        LastError = reason;
        foreach (var timer in new[] { SessionTimer.ConnectRetry, SessionTimer.Hold, SessionTimer.Keepalive })
            CancelTimer(timer);
        _connectAttempt++;
        if (received is not null)
        {
            LastNotificationReceived = received;
            Log.NotificationReceived(_logger, (byte)received.Code, received.Subcode, received.Description, received.DescribeData());
        }
        var connection = Current;
        Current = null;
        if (connection is not null)
        {
            if (sent is not null)
            {
                LastNotificationSent = sent;
                Log.NotificationSent(_logger, (byte)sent.Code, sent.Subcode, sent.Description, sent.DescribeData());
                try
                {
                    await connection.SendAsync(sent).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
                {
                    // The peer may be gone already; closing is what matters.
                }
            }
            Interlocked.Add(ref _messagesIn, connection.MessagesIn);
            Interlocked.Add(ref _messagesOut, connection.MessagesOut);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        if (Contender is { } contender)
        {
            Contender = null;
            await contender.DisposeAsync().ConfigureAwait(false);
        }
        var from = _state.Kind;
        _state = IdleState.Instance;
        Log.Down(_logger, from, reason);
        if (wasEstablished)
            _listener.SessionDown(this, new SessionEnd(reason, PeerMayRestart(sent, received), sent, received));
        if (!_adminDown && restart)
        {
            ArmTimer(SessionTimer.IdleHold, _retryDelay);
            GrowRetryDelay();
        }
    }

    /// <summary>
    /// Whether the peer's routes survive this end of the session as stale (RFC 4724 4.2): only if it sent the
    /// graceful-restart capability, and then after a plain loss of the connection, or after any NOTIFICATION but
    /// a Hard Reset when both sides sent the N bit (RFC 8538 4).
    /// </summary>
    private bool PeerMayRestart(BgpNotification? sent, BgpNotification? received)
    {
        if (Negotiated?.PeerGracefulRestart is null)
            return false;
        if (sent is null && received is null)
            return true;
        return NotificationRestartNegotiated && sent?.IsHardReset != true && received?.IsHardReset != true;
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
        var hold = TimeSpan.FromSeconds(State == BgpSessionState.OpenConfirm ? Pending?.HoldTime ?? 240 : Negotiated!.HoldTime);
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
        Log.Collision(_logger, keepContender ? "the new connection" : "the existing connection", open.BgpIdentifier > _local.RouterId ? "the peer's" : "ours");
        if (keepContender)
        {
            Current = contender;
            await contender.SendOpenAsync(BuildOpen()).ConfigureAwait(false);
            TransitionTo(OpenSentState.Instance);
            await _state.HandleAsync(this, new SessionEvent.Received(contender, open)).ConfigureAwait(false);
        }
        if (loser is not null)
        {
            var cease = new BgpNotification(BgpErrorCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution);
            Log.NotificationSent(_logger, (byte)cease.Code, cease.Subcode, cease.Description, string.Empty);
            try
            {
                await loser.SendAsync(cease).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
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

    /// <summary>Refuses a connection that lost a collision with an Established session (RFC 4271 6.8).</summary>
    internal async Task RefuseCollidingAsync(BgpConnection inbound)
    {
        var cease = new BgpNotification(BgpErrorCode.Cease, (byte)CeaseSubcode.ConnectionCollisionResolution);
        Log.NotificationSent(_logger, (byte)cease.Code, cease.Subcode, cease.Description, "a second connection while Established");
        try
        {
            await inbound.SendAsync(cease).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
        {
            // Closed either way.
        }
        await inbound.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        EndDirectDelivery();
        Post(new SessionEvent.Stop(CeaseSubcode.PeerDeconfigured));
        _events.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var (timer, _) in _timers.Values)
            timer.Dispose();
        Task[] background;
        lock (_background)
            background = [.. _background];
        // Connections are closed by now, so readers end; a connect still in flight ends at its timeout.
        try
        {
            await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.BackgroundStuck(_logger, background.Count(t => !t.IsCompleted));
        }
    }
}
