using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>A BGP-4 speaker: peers added and removed at runtime, originated routes, best paths for the FIB, route reflection and graceful restart.</summary>
/// <remarks>
/// <code>
///  sessions ──(updates, up/down)──▶ RIB loop ──▶ Loc-RIB ──▶ best-path changes ──▶ subscribers (FIB)
///                                      ▲                 └──▶ per-peer writer: export rules + policy ──▶ Adj-RIB-Out ──▶ packed UPDATEs
///  Originate/Withdraw ─────────────────┘
/// </code>
/// One loop owns the Loc-RIB, so it needs no locks; it drains a few dozen queued items, then hands the
/// immutable change list to every peer's writer, which exports, packs and sends in parallel with the
/// loop's next batch. A burst of 100,000 prefixes becomes a pipeline, not one long stall. As the
/// receiving speaker of graceful restart (RFC 4724 4.2, RFC 8538) it keeps a restarting peer's routes
/// per family, as stale, until that family's End-of-RIB, the peer's restart time, or the stale-path time.
/// </remarks>
public sealed partial class BgpSpeaker : ISessionListener, IAsyncDisposable
{
    private const int ItemsPerFlush = 64;

    // A flush's change list stays under the large-object threshold (85,000 bytes; a RouteChange is about 72): a burst
    // then churns only gen0, where short-lived lists die cheaply, instead of forcing full collections that leave the
    // heap (and the RSS) at its high-water mark.
    private const int ChangesPerFlush = 1000;

    // The first list after a quiet spell is exported on the loop's own turn to this many idle peers; the rest get it
    // from their writers, in parallel. More would hold the loop's next item behind thousands of peers' exports.
    private const int InlineExportsPerFlush = 8;

    // An UPDATE this soon after the RIB's last turn is part of a burst (a reader delivers one every few microseconds).
    // Real time, not the speaker's TimeProvider: this is about threads, not protocol timers.
    private static readonly TimeSpan s_quietSpell = TimeSpan.FromMilliseconds(1);

    // How long the RIB stays idle after a turn before the speaker collects gen0 (WaitForWorkAsync): far beyond the gaps
    // within a burst, and in practice long before the next one.
    private static readonly TimeSpan s_idleCollectionDelay = TimeSpan.FromMilliseconds(100);
    private readonly BgpSpeakerConfig _config;
    private readonly BgpSocketFactory _sockets;
    private readonly BgpDialer _dialer;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Channel<SpeakerWork> _work = Channel.CreateUnbounded<SpeakerWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<IPAddress, PeerRuntime> _peers = new();
    private readonly ConcurrentDictionary<BgpSession, PeerRuntime> _bySession = new();

    // The peers as an array for the RIB's flushes, replaced whole on every add and remove. ConcurrentDictionary.Values
    // takes every lock and copies every peer, which with thousands of clients was a snapshot per flush of a burst.
    private readonly Lock _peerListGate = new();
    private PeerRuntime[] _peerList = [];
    private readonly List<Channel<BestPathChange>> _subscribers = [];
    // Sized for a first burst: filled from empty, the table grew three times (16 to 128 slots) within the first
    // UPDATE of a full table, each growth and each newly touched page on the first route's path. Room for 2,048
    // prefixes (about 130 KB), mapped at Start (Prefault), takes that off it.
    private readonly LocRib _rib = new(capacity: 2048);
    private readonly RouteReflectionRules _reflection;
    private readonly RibPeer _localPeer;
    private readonly CancellationTokenSource _stopping = new();
    // Our own addresses (RIB loop): sessions' local addresses counted by use, plus the configured ones.
    private readonly Dictionary<IPAddress, int> _ownAddresses = [];

    // The RIB loop's turn: held by the loop for each batch, or by a reader for a quiet spell's first UPDATE (RunOrPost).
    private readonly SemaphoreSlim _ribTurn = new(1, 1);
    private int _queued;
    // When the queue last went from empty to one item: with _lastTurnEnded, whether the loop's next item follows a quiet
    // spell (measured when it was posted, not when the loop's thread got to it).
    private long _firstQueuedAt;
    private long _lastTurnEnded;
    // The last turn's end as of the last idle collection (RIB loop): a turn ending later means there is garbage again.
    private long _collectedAfter;
    private int _idleCollections;
    // Set while the loop waits with nothing to collect: a reader's inline turn completes it, since it posts nothing.
    private TaskCompletionSource? _idleWake;
    // The context the RIB loop runs in, captured by the loop itself: a reader taking the turn runs it there too, so the
    // turn neither logs under the reading session's peer scope nor leaves anything in the reader's context. Until the
    // loop has captured it, readers post instead.
    private ExecutionContext? _ribContext;

    // Set for the first turn after a quiet spell: the first best-path change is published the moment it is decided,
    // alone, and the rest of the item follows in the turn's own flush (PublishFirstChange).
    private bool _publishFirstChange;

    private int _bestPathCount;
    private Socket? _listener;
    private Task? _loop;
    private Task? _accept;

    public BgpSpeaker(BgpSpeakerConfig config, BgpSocketFactory? sockets = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
        : this(config, sockets ?? (family => new Socket(family, SocketType.Stream, ProtocolType.Tcp)), null, time, loggers)
    {
    }

    /// <summary>The seam for tests: <paramref name="dialer"/> replaces TCP for outgoing connections.</summary>
    internal BgpSpeaker(BgpSpeakerConfig config, BgpSocketFactory sockets, BgpDialer? dialer, TimeProvider? time, ILoggerFactory? loggers)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _sockets = sockets;
        _dialer = dialer ?? SocketDialer.Create(sockets);
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("Tabby.Bgp.Speaker");
        _reflection = new RouteReflectionRules(config.As, config.RouterId, config.ClusterId);
        _localPeer = RibPeer.Local(config.RouterId, config.As);
        foreach (var address in config.LocalAddresses)
            _ownAddresses[address] = 1;
        if (config.Listen is { } listen && !listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any))
            _ownAddresses[listen.Address] = 1;
    }

    public BgpSpeakerConfig Config => _config;

    /// <summary>Prefixes with a best path, as of the RIB loop's last flush.</summary>
    public int BestPathCount => Volatile.Read(ref _bestPathCount);

    /// <summary>The address and port the speaker listens on, once started (port 0 in the config picks a free one).</summary>
    public IPEndPoint? ListenEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Starts the RIB loop and, when configured, the listener. Peers added before or after start both work.</summary>
    public void Start()
    {
        if (_loop is not null)
            throw new InvalidOperationException("the speaker is already running");
        HotPathWarmup.Run(_config.As);
        _rib.Prefault();
        _loop = Task.Run(RunRibLoopAsync);
        if (_config.Listen is { } listen)
        {
            var listener = _sockets(listen.AddressFamily);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(listen);
            listener.Listen(4096);
            _listener = listener;
            foreach (var peer in _peers.Values.Where(p => p.Config.Password is not null))
                SocketOptions.SetMd5(listener, peer.Config.Address, peer.Config.Password!);
            _accept = Task.Run(AcceptLoopAsync);
        }
        foreach (var peer in _peers.Values)
            peer.Session.Start();
        Log.Started(_logger, _config.As, ListenEndPoint?.ToString() ?? "nothing", _peers.Count);
    }

    /// <summary>Adds a neighbour; its session starts now if the speaker runs, else at <see cref="Start"/>.</summary>
    /// <exception cref="ArgumentException">The address is already a peer, or the configuration cannot work (no AS).</exception>
    public void AddPeer(BgpPeerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.RemoteAs == 0)
            throw new ArgumentException($"peer {config.Address}: a remote AS is required", nameof(config));
        // Refused before anything starts; the TryAdd below still settles a race between two callers.
        if (_peers.ContainsKey(config.Address))
            throw new ArgumentException($"peer {config.Address} is already configured", nameof(config));
        var logger = _loggers.CreateLogger("Tabby.Bgp.Session");
        var session = new BgpSession(config, _config, _dialer, this, _time, logger);
        var runtime = new PeerRuntime(config, session, _loggers.CreateLogger("Tabby.Bgp.Export"));
        if (!TryAddPeer(config.Address, runtime))
        {
            runtime.Complete();
            _ = session.DisposeAsync().AsTask().ContinueWith(_ => runtime.Writer, TaskScheduler.Default);
            throw new ArgumentException($"peer {config.Address} is already configured", nameof(config));
        }
        _bySession[session] = runtime;
        if (_listener is not null && config.Password is not null)
            SocketOptions.SetMd5(_listener, config.Address, config.Password);
        Log.PeerAdded(_logger, config.Address, config.RemoteAs, session.IsExternal ? "eBGP" : "iBGP", string.Join(",", config.Families));
        if (_loop is not null)
            session.Start();
    }

    private bool TryAddPeer(IPAddress address, PeerRuntime runtime)
    {
        lock (_peerListGate)
        {
            if (!_peers.TryAdd(address, runtime))
                return false;
            _peerList = [.. _peerList, runtime];
            return true;
        }
    }

    private bool TryRemovePeer(IPAddress address, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerRuntime? runtime)
    {
        lock (_peerListGate)
        {
            if (!_peers.TryRemove(address, out runtime))
                return false;
            var removed = runtime;
            _peerList = Array.FindAll(_peerList, p => !ReferenceEquals(p, removed));
            return true;
        }
    }

    /// <summary>Stops the neighbour's session (a Cease, or a Hard Reset when the N bit was negotiated) and forgets its routes.</summary>
    public async Task RemovePeerAsync(IPAddress address)
    {
        if (!TryRemovePeer(address, out var runtime))
            return;
        await runtime.Session.DisposeAsync().ConfigureAwait(false);
        _bySession.TryRemove(runtime.Session, out _);
        if (_loop is null)
            runtime.Complete();
        else
            Post(new SpeakerWork.RemovePeer(runtime));
        await runtime.Writer.ConfigureAwait(false);
        Log.PeerRemoved(_logger, address);
    }

    /// <summary>
    /// Replaces a peer's import and export policies without resetting its session, as BIRD reconfigures a filter:
    /// the table is exported again under the new export policy, and, when the import policy changed, the peer is asked
    /// for its routes again with ROUTE-REFRESH (RFC 2918). Only a peer that did not negotiate ROUTE-REFRESH has its
    /// session reset, since its routes cannot be had again otherwise.
    /// </summary>
    /// <returns>False when <paramref name="address"/> is not a configured peer.</returns>
    public bool UpdatePolicies(IPAddress address, IRoutePolicy? import, IRoutePolicy? export)
    {
        if (!_peers.TryGetValue(address, out var runtime))
            return false;
        if (_loop is null)
            (runtime.ImportPolicy, runtime.ExportPolicy) = (import, export); // nothing runs yet: the first session starts with them
        else
            Post(new SpeakerWork.Policies(runtime, import, export));
        return true;
    }

    /// <summary>Announces a prefix from this speaker (next hop: our address on each session).</summary>
    public void Originate(IpPrefix prefix, PathAttributes? attributes = null) =>
        Post(new SpeakerWork.Originate(prefix, attributes ?? new PathAttributes { Origin = BgpOrigin.Igp, AsPath = AsPath.Empty }));

    public void Withdraw(IpPrefix prefix) => Post(new SpeakerWork.Withdraw(prefix));

    /// <summary>A stream of best-path changes, starting with the current table; what the FIB programmer consumes.</summary>
    public ChannelReader<BestPathChange> SubscribeBestPaths()
    {
        var channel = Channel.CreateUnbounded<BestPathChange>(new UnboundedChannelOptions { SingleWriter = true });
        Post(new SpeakerWork.Query(() =>
        {
            foreach (var path in _rib.BestPaths())
                channel.Writer.TryWrite(new BestPathChange(path.Prefix, path, null));
            _subscribers.Add(channel);
        }));
        return channel.Reader;
    }

    /// <summary>Every peer's state, counters and per-family graceful-restart state, ordered by address.</summary>
    public IReadOnlyList<PeerStatus> Peers() =>
        _peers.Values.Select(Status).OrderBy(p => p.Address.ToString(), StringComparer.Ordinal).ToList();

    private static PeerStatus Status(PeerRuntime p)
    {
        var families = p.Families;
        var restart = p.Negotiated?.PeerGracefulRestart;
        return new PeerStatus(
            p.Config.Address, p.Config.RemoteAs, p.Session.State, p.Session.EstablishedAt,
            families.Sum(f => Volatile.Read(ref f.PrefixesIn)), p.PrefixesAdvertised, p.Session.MessagesIn, p.Session.MessagesOut,
            families.Sum(f => Volatile.Read(ref f.Stale)), p.Session.LastError)
        {
            External = p.Session.IsExternal,
            EstablishedTransitions = p.Session.EstablishedTransitions,
            UpdatesReceived = p.UpdatesReceived,
            LastNotificationSent = p.Session.LastNotificationSent?.ToString(),
            LastNotificationReceived = p.Session.LastNotificationReceived?.ToString(),
            Families = families.Select(f => new FamilyStatus(
                f.Family, Volatile.Read(ref f.PrefixesIn), Volatile.Read(ref f.PrefixesOut), Volatile.Read(ref f.Stale), f.GracefulRestart,
                restart?.Families.AsSpan().ToArray().FirstOrDefault(g => g.Family == f.Family) is { Family.Afi: > 0 } g
                    ? g.ForwardingStatePreserved ? "forwarding" : "yes"
                    : "no",
                f.EndOfRibReceived, f.EndOfRibSent, Interlocked.Read(ref f.Skipped))).ToList(),
        };
    }

    /// <summary>The best paths now, read on the RIB loop.</summary>
    public Task<IReadOnlyList<RibPath>> BestPathsAsync() => QueryAsync<IReadOnlyList<RibPath>>(() => _rib.BestPaths().ToList());

    /// <summary>Every candidate path for <paramref name="prefix"/> (stale ones included), read on the RIB loop.</summary>
    public Task<IReadOnlyList<RibPath>> CandidatesAsync(IpPrefix prefix) => QueryAsync(() => _rib.GetCandidates(prefix));

    /// <summary>Runs <paramref name="read"/> on the RIB loop; its failure, or a speaker already disposed, fails the task
    /// instead of leaving the caller waiting.</summary>
    private Task<T> QueryAsync<T>(Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var query = new SpeakerWork.Query(() =>
        {
            try
            {
                result.SetResult(read());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        if (!TryPost(query))
            result.SetException(new ObjectDisposedException(nameof(BgpSpeaker)));
        return result.Task;
    }

    // ---- ISessionListener: called on session loops; only posts ----

    void ISessionListener.SessionEstablished(BgpSession session, NegotiatedSession negotiated)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.PeerUp(peer, negotiated));
    }

    void ISessionListener.UpdateReceived(BgpSession session, BgpUpdate update)
    {
        if (_bySession.TryGetValue(session, out var peer))
            RunOrPost(new SpeakerWork.Update(peer, update));
    }

    void ISessionListener.RouteRefreshReceived(BgpSession session, BgpFamily family)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.Refresh(peer, family));
    }

    void ISessionListener.SessionDown(BgpSession session, SessionEnd end)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.PeerDown(peer, end));
    }

    private void Post(SpeakerWork work) => TryPost(work);

    private bool TryPost(SpeakerWork work)
    {
        if (Interlocked.Increment(ref _queued) == 1)
            Volatile.Write(ref _firstQueuedAt, Stopwatch.GetTimestamp());
        if (_work.Writer.TryWrite(work))
            return true;
        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>
    /// Takes the RIB loop's turn on the caller's thread (a session's reader) for the first UPDATE after a quiet spell,
    /// when the loop idles with nothing queued; otherwise queues the work for the loop.
    /// </summary>
    /// <remarks>
    /// The loop's own turn would first need its thread woken, 0.1 to 0.9 ms on busy cores, which BIRD's single loop
    /// never pays. Only the first item of a spell runs here: one within <see cref="s_quietSpell"/> of the last turn's
    /// end is part of a burst, and goes to the loop, so the reader keeps decoding while the loop and the peers'
    /// writers work in parallel. Order is kept: nothing queued means everything posted before has been processed.
    /// </remarks>
    private void RunOrPost(SpeakerWork work)
    {
        if (Volatile.Read(ref _ribContext) is not { } context || Volatile.Read(ref _queued) > 0
            || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastTurnEnded)) < s_quietSpell || !_ribTurn.Wait(0))
        {
            Post(work);
            return;
        }
        try
        {
            ExecutionContext.Run(context, static state => ((TurnState)state!).Run(), new TurnState(this, work));
        }
        finally
        {
            EndTurn();
            // The loop, idle with nothing to collect, learns of this turn's garbage (WaitForWorkAsync).
            Interlocked.Exchange(ref _idleWake, null)?.TrySetResult();
        }
    }

    /// <summary>A turn as the state of <see cref="ExecutionContext.Run"/>: one small object instead of a closure and its delegate.</summary>
    private sealed class TurnState(BgpSpeaker speaker, SpeakerWork work)
    {
        public void Run() => speaker.Turn(work);
    }

    /// <summary>One item and its flush, with the turn held.</summary>
    private void Turn(SpeakerWork work)
    {
        try
        {
            _publishFirstChange = true;
            Process(work);
        }
        catch (Exception e)
        {
            Log.RibLoopFailed(_logger, work.GetType().Name, e);
        }
        _publishFirstChange = false;
        try
        {
            Flush(exportInline: true);
        }
        catch (Exception e)
        {
            Log.RibLoopFailed(_logger, "flush", e);
        }
    }

    private void EndTurn()
    {
        Volatile.Write(ref _lastTurnEnded, Stopwatch.GetTimestamp());
        _ribTurn.Release();
    }

    /// <summary>The test seam for inbound connections: what the accept loop does with a socket, for any transport.</summary>
    internal bool AcceptInbound(IPAddress remote, IBgpTransport transport)
    {
        if (!_peers.TryGetValue(remote, out var peer))
        {
            transport.Dispose();
            return false;
        }
        peer.Session.AcceptInbound(transport);
        return true;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                Log.AcceptFailed(_logger, e.Message);
                continue;
            }
            var remote = ((IPEndPoint)socket.RemoteEndPoint!).Address;
            if (remote.IsIPv4MappedToIPv6)
                remote = remote.MapToIPv4();
            if (_peers.TryGetValue(remote, out var peer))
            {
                SocketOptions.Apply(socket, peer.Config);
                peer.Session.AcceptInbound(socket);
            }
            else
            {
                // Not a configured neighbour: RFC 4271 says refuse; closing is the refusal.
                Log.UnknownPeerRefused(_logger, remote);
                socket.Dispose();
            }
        }
    }

    private async Task RunRibLoopAsync()
    {
        // Inside the loop's task, flow is never suppressed, so this is a context (the default one at worst), never null.
        Volatile.Write(ref _ribContext, ExecutionContext.Capture());
        var reader = _work.Reader;
        // After a quiet spell the first item is flushed on its own, so the first route of a burst leaves at once;
        // while a backlog lasts, batches of ItemsPerFlush, so the rest go out in bounded pieces that the peer
        // writers pack in parallel with the loop. (Doubling from 1 instead was measured slower: many small flushes.)
        var limit = 1;
        while (await WaitForWorkAsync(reader).ConfigureAwait(false))
        {
            // The turn is shared with RunOrPost, which may run a quiet spell's first UPDATE on its reader's thread.
            await _ribTurn.WaitAsync().ConfigureAwait(false);
            try
            {
                // Only after a quiet spell: a loop that keeps up with a burst also takes one item at a time. The spell is
                // measured up to the item's posting, since the loop's own wake-up can take longer than a spell.
                _publishFirstChange = limit == 1
                    && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastTurnEnded), Volatile.Read(ref _firstQueuedAt)) >= s_quietSpell;
                var processed = 0;
                while (processed < limit && _rib.PendingChanges < ChangesPerFlush && reader.TryRead(out var work))
                {
                    Interlocked.Decrement(ref _queued);
                    processed++;
                    try
                    {
                        Process(work);
                    }
                    catch (Exception e)
                    {
                        // A bug: say so and carry on with the next item rather than stop routing altogether.
                        Log.RibLoopFailed(_logger, work.GetType().Name, e);
                    }
                }
                _publishFirstChange = false;
                try
                {
                    Flush(exportInline: limit == 1);
                }
                catch (Exception e)
                {
                    Log.RibLoopFailed(_logger, "flush", e);
                }
                limit = reader.TryPeek(out _) ? ItemsPerFlush : 1;
            }
            finally
            {
                EndTurn();
            }
        }
    }

    /// <summary>Gen0 collections the speaker ran while idle (<see cref="WaitForWorkAsync"/>).</summary>
    internal int IdleCollections => Volatile.Read(ref _idleCollections);

    /// <summary>No RIB turn has ended since the last idle collection (or none ever has): nothing is due.</summary>
    internal bool NoCollectionDue => Volatile.Read(ref _lastTurnEnded) == Volatile.Read(ref _collectedAfter);

    /// <summary>Waits for the loop's next item; the first quiet spell after any turn gets one gen0 collection.</summary>
    /// <remarks>
    /// Why collect at all: a collection sends the allocator back to the start of gen0's memory, whose pages a burst has
    /// touched already. Left alone, gen0 fills up to its budget (8 MB) over several bursts, and each burst's first
    /// allocations (its first UPDATE's decoding, on the first route's path) go on into pages never touched: two or
    /// three page faults there, sometimes a commit of more memory, 10-25 µs in all (measured with probes around the
    /// first route). Collected while idle, gen0 is cheap to collect (little of it lives) and the next burst starts on
    /// warm pages. A collection could still meet a burst's first UPDATE; it happens once per quiet spell, well into it.
    /// </remarks>
    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<SpeakerWork> reader)
    {
        var waiting = reader.WaitToReadAsync();
        if (waiting.IsCompleted)
            return await waiting.ConfigureAwait(false);
        var ready = waiting.AsTask();
        while (true)
        {
            // Readers take turns too (RunOrPost), so the spell is measured from anyone's last turn, and may restart.
            var ended = Volatile.Read(ref _lastTurnEnded);
            if (ended == _collectedAfter)
            {
                // Nothing to collect: wait for work, or for a reader's turn, which posts nothing but wakes this.
                var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Exchange(ref _idleWake, wake);
                if (Volatile.Read(ref _lastTurnEnded) != ended)
                    continue; // a turn ended meanwhile; its reader may have looked for the wake before it was set
                if (await Task.WhenAny(ready, wake.Task).ConfigureAwait(false) == ready)
                {
                    Interlocked.CompareExchange(ref _idleWake, null, wake);
                    break;
                }
                continue;
            }
            var idle = Stopwatch.GetElapsedTime(ended);
            if (idle >= s_idleCollectionDelay)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                Interlocked.Increment(ref _idleCollections);
                // Last, so that NoCollectionDue never shows a collection as done before it is counted.
                Volatile.Write(ref _collectedAfter, ended);
                continue;
            }
            // Whole milliseconds, rounded up: a delay rounded down would come back early, and one under a millisecond
            // at once, and the loop would spin until the spell was long enough.
            var remaining = TimeSpan.FromMilliseconds(Math.Ceiling((s_idleCollectionDelay - idle).TotalMilliseconds));
            if (await Task.WhenAny(ready, Task.Delay(remaining)).ConfigureAwait(false) == ready)
                break;
        }
        return await ready.ConfigureAwait(false);
    }

    private void Process(SpeakerWork work)
    {
        switch (work)
        {
            case SpeakerWork.Update u when u.Peer.Established:
                ApplyUpdate(u.Peer, u.Message);
                break;
            case SpeakerWork.PeerUp up:
                PeerUp(up.Peer, up.Negotiated);
                break;
            case SpeakerWork.PeerDown down:
                PeerDown(down.Peer, down.End);
                break;
            case SpeakerWork.Refresh r when r.Peer.Established:
                if (r.Peer.Negotiated?.Families.Contains(r.Family) == true)
                    r.Peer.Post(new ExportWork.Refresh(r.Family, _rib.BestRoutes(r.Family)));
                else
                    Log.RefreshIgnored(_logger, r.Peer.Config.Address, r.Family); // RFC 2918 3: a family not negotiated is ignored
                break;
            case SpeakerWork.Policies policies:
                ApplyPolicies(policies.Peer, policies.Import, policies.Export);
                break;
            case SpeakerWork.Originate o:
                _rib.Announce(_localPeer, o.Prefix, o.Attributes);
                break;
            case SpeakerWork.Withdraw w:
                _rib.Withdraw(_localPeer, w.Prefix);
                break;
            case SpeakerWork.RestartTimerExpired t when t.Generation == t.Peer.RestartGeneration:
                RestartTimeRanOut(t.Peer);
                break;
            case SpeakerWork.StaleTimerExpired s when s.Generation == s.Peer.StaleGeneration:
                StaleTimeRanOut(s.Peer);
                break;
            case SpeakerWork.RemovePeer r:
                StopTimers(r.Peer);
                if (r.Peer.RibPeer is { } removed)
                    _rib.RemovePeer(removed);
                r.Peer.Complete();
                break;
            case SpeakerWork.Query q:
                q.Read();
                break;
        }
    }

    private void ApplyUpdate(PeerRuntime peer, BgpUpdate update)
    {
        var ribPeer = peer.RibPeer!;
        if (update.IsEndOfRib(out var eor))
        {
            EndOfRib(peer, ribPeer, eor);
            return;
        }
        // RFC 4271 4.3: a prefix both withdrawn and announced in one UPDATE is announced. Its withdrawal published on
        // its own, ahead of the rest, would make it flap downstream; such an UPDATE's changes go out together.
        if ((!update.WithdrawnRoutes.IsEmpty || update.MpUnreach is not null) && (!update.Nlri.IsEmpty || update.MpReach is not null))
            _publishFirstChange = false;
        // Spans over the decoded arrays, not the list helpers of BgpUpdate: a full table arrives here
        // one prefix at a time, and List<IpPrefix> is JIT-compiled generic code, slow until it tiers up.
        WithdrawAll(peer, ribPeer, update.WithdrawnRoutes.AsSpan());
        if (update.MpUnreach is { } unreach)
            WithdrawAll(peer, ribPeer, unreach.Prefixes.AsSpan());
        var nlri = update.Nlri.AsSpan();
        var mpNlri = update.MpReach is { } reach ? reach.Prefixes.AsSpan() : default;
        if (nlri.IsEmpty && mpNlri.IsEmpty)
            return;
        peer.UpdatesReceived += nlri.Length + mpNlri.Length;
        if (update.TreatAsWithdraw || RejectedAsLoop(peer, ribPeer, update.Attributes))
        {
            WithdrawAll(peer, ribPeer, nlri);
            WithdrawAll(peer, ribPeer, mpNlri);
            return;
        }
        var attributes = update.Attributes;
        if (!nlri.IsEmpty)
        {
            // Classic NLRI is IPv4 with NEXT_HOP; an MP next hop beside it belongs to the MP_REACH prefixes only.
            AnnounceAll(peer, ribPeer, nlri, attributes.MpNextHop is null ? attributes : attributes with { MpNextHop = null });
        }
        if (!mpNlri.IsEmpty)
        {
            var family = update.MpReach!.Family;
            var next = attributes.MpNextHop;
            if (!family.IsIpv6)
            {
                // IPv4 in MP_REACH_NLRI (RFC 4760): its next hop is MP_REACH's, which we keep as NEXT_HOP so the
                // route is one shape whatever encoding it came in. An IPv6 next hop for IPv4 (RFC 8950) was not negotiated.
                if (next is not { Global.AddressFamily: AddressFamily.InterNetwork })
                {
                    Log.UnusableNextHop(_logger, peer.Config.Address, family, next?.ToString() ?? "none");
                    WithdrawAll(peer, ribPeer, mpNlri);
                    return;
                }
                attributes = attributes with { NextHop = next.Global, MpNextHop = null };
            }
            else if (attributes.NextHop is not null)
            {
                attributes = attributes with { NextHop = null };
            }
            AnnounceAll(peer, ribPeer, mpNlri, attributes);
        }
    }

    /// <summary>
    /// Loops: a reflected route we originated or reflected before (RFC 4456 8), an eBGP route already carrying
    /// our AS (RFC 4271 9.1.2), or an eBGP route whose AS_PATH does not start with the peer's AS (RFC 4271 6.3,
    /// RFC 7606 7.2). All are treated as withdrawn, never a session reset.
    /// </summary>
    private bool RejectedAsLoop(PeerRuntime peer, RibPeer from, PathAttributes attributes)
    {
        if (_reflection.IsLoop(attributes))
            return true;
        if (!from.IsExternal)
            return false;
        if (_reflection.IsAsPathLoop(attributes))
            return true;
        return peer.Config.EnforceFirstAs && !RouteReflectionRules.FirstAsMatches(attributes, from);
    }

    private void WithdrawAll(PeerRuntime peer, RibPeer ribPeer, ReadOnlySpan<IpPrefix> prefixes)
    {
        int routes = 0, stale = 0;
        try
        {
            for (var i = 0; i < prefixes.Length; i++)
            {
                _rib.PrefetchAhead(prefixes, i);
                if (_rib.Withdraw(ribPeer, prefixes[i], out var wasStale))
                {
                    routes--;
                    stale -= wasStale ? 1 : 0;
                }
                if (_publishFirstChange && _rib.HasChanges)
                    PublishFirstChange();
            }
        }
        finally
        {
            // What the RIB did is counted even if something below it threw (the item is then logged and skipped).
            Count(peer, prefixes, routes, stale);
        }
    }

    private void AnnounceAll(PeerRuntime peer, RibPeer ribPeer, ReadOnlySpan<IpPrefix> prefixes, PathAttributes attributes)
    {
        if (prefixes.IsEmpty)
            return;
        // RFC 4271 5.1.3 and 6.3: a route whose next hop is one of our own addresses came back to us; installing
        // or passing it on would loop.
        if (attributes.NextHopFor(prefixes[0].IsIPv6) is { } nextHop && _ownAddresses.ContainsKey(nextHop))
        {
            Log.OwnNextHop(_logger, peer.Config.Address, nextHop, prefixes.Length);
            WithdrawAll(peer, ribPeer, prefixes);
            return;
        }
        var import = peer.ImportPolicy;
        var context = import is null ? null : new PolicyContext(_config.As);
        int routes = 0, stale = 0;
        try
        {
            for (var i = 0; i < prefixes.Length; i++)
            {
                _rib.PrefetchAhead(prefixes, i);
                var prefix = prefixes[i];
                var result = import?.Evaluate(prefix, attributes, context!);
                if (result is { Accepted: false })
                {
                    if (_rib.Withdraw(ribPeer, prefix, out var wasStale))
                    {
                        routes--;
                        stale -= wasStale ? 1 : 0;
                    }
                }
                else
                {
                    switch (_rib.Announce(ribPeer, prefix, result?.Attributes ?? attributes))
                    {
                        case AnnounceResult.Added:
                            routes++;
                            break;
                        case AnnounceResult.Refreshed:
                            stale--;
                            break;
                    }
                }
                if (_publishFirstChange && _rib.HasChanges)
                    PublishFirstChange();
            }
        }
        finally
        {
            Count(peer, prefixes, routes, stale);
        }
    }

    /// <summary>
    /// Publishes the first change of a quiet spell's first turn on its own, inline, before the rest of the item.
    /// </summary>
    /// <remarks>
    /// A burst's first UPDATE carries hundreds of prefixes; deciding all of them before any leaves made the first route
    /// wait for the rest of its UPDATE, and for exporting and packing them cold. A single change after a quiet spell (the
    /// common case: one workload, one route) is unaffected; a burst costs one more, small, UPDATE at its start.
    /// Not for an UPDATE that withdraws and announces (<see cref="ApplyUpdate"/>), and a throw below leaves the flag
    /// for the turn's end to clear.
    /// </remarks>
    private void PublishFirstChange()
    {
        _publishFirstChange = false;
        try
        {
            Flush(exportInline: true);
        }
        catch (Exception e)
        {
            Log.RibLoopFailed(_logger, "flush", e);
        }
    }

    /// <summary>Counts a span's changes once: the prefixes of one field of one UPDATE are all of one family.</summary>
    private static void Count(PeerRuntime peer, ReadOnlySpan<IpPrefix> prefixes, int routes, int stale)
    {
        if (routes == 0 && stale == 0)
            return;
        var family = peer.FamilyOrAdd(BgpFamily.For(prefixes[0]));
        family.PrefixesIn += routes;
        family.Stale += stale;
    }

    private void ApplyPolicies(PeerRuntime peer, IRoutePolicy? import, IRoutePolicy? export)
    {
        var importChanged = !ReferenceEquals(peer.ImportPolicy, import);
        (peer.ImportPolicy, peer.ExportPolicy) = (import, export);
        if (!peer.Established || peer.Negotiated is not { } negotiated)
        {
            Log.PoliciesChanged(_logger, peer.Config.Address, "the next session starts with them");
            return;
        }

        if (importChanged && !negotiated.RouteRefresh)
        {
            Log.PoliciesChanged(_logger, peer.Config.Address, "session reset: the peer cannot send its routes again (no ROUTE-REFRESH)");
            peer.Session.Reset("import policy changed and the peer did not negotiate ROUTE-REFRESH");
            return;
        }

        IReadOnlyList<BgpFamily> refresh = importChanged ? negotiated.Families : [];
        peer.Post(new ExportWork.Reconfigure(export, _rib.BestRoutes(), refresh));
        Log.PoliciesChanged(_logger, peer.Config.Address, importChanged ? "table exported again, routes asked for again (ROUTE-REFRESH)" : "table exported again");
    }

    private void PeerUp(PeerRuntime peer, NegotiatedSession negotiated)
    {
        var kind = peer.Session.IsExternal ? PeerKind.External : PeerKind.Internal;
        var ribPeer = new RibPeer(peer.Config.Address, negotiated.PeerRouterId, negotiated.PeerAs, kind, peer.Config.RouteReflectorClient);
        peer.RibPeer = ribPeer;
        peer.Negotiated = negotiated;
        peer.Context = new BgpCodecContext(negotiated.FourOctetAs, peer.Session.IsExternal);
        peer.Established = true;
        AddOwnAddress(negotiated.LocalEndPoint.Address);

        // Keep the counters of families that still hold (stale) routes; start the rest afresh.
        var families = new List<PeerFamily>();
        foreach (var family in negotiated.Families)
        {
            var state = peer.Family(family) ?? new PeerFamily(family);
            state.EndOfRibReceived = false;
            state.EndOfRibSent = false;
            state.PrefixesOut = 0;
            Interlocked.Exchange(ref state.Skipped, 0);
            families.Add(state);
        }
        families.AddRange(peer.Families.Where(f => !negotiated.Families.Contains(f.Family) && f.PrefixesIn > 0));
        peer.Families = [.. families];

        // The session is back: the restart timer has done its job (RFC 4724 4.2).
        if (peer.RestartTimer is not null)
        {
            peer.RestartTimer.Dispose();
            peer.RestartTimer = null;
            peer.RestartGeneration++;
        }
        ResolveStaleOnReconnect(peer, ribPeer, negotiated);

        var exporter = new PeerExporter(_reflection, _config.As, ribPeer, peer.Config, negotiated.LocalEndPoint,
            families.Where(f => negotiated.Families.Contains(f.Family)).ToList(), _loggers.CreateLogger("Tabby.Bgp.Export"))
        {
            Policy = peer.ExportPolicy,
        };
        peer.Post(new ExportWork.Initial(exporter, _rib.BestRoutes(), negotiated.Families, peer.Context));
        Log.PeerUp(_logger, peer.Config.Address, string.Join(",", negotiated.Families), negotiated.HoldTime,
            negotiated.PeerGracefulRestart is { } gr ? $"restart time {gr.RestartTimeSeconds} s{(gr.NotificationSupport ? ", N bit" : "")}{(gr.Restarting ? ", restarting" : "")}" : "none");
    }

    /// <summary>
    /// RFC 4724 4.2, on the peer's return: stale routes of a family go at once if the new OPEN has no graceful-restart
    /// capability, does not list the family, or lists it without the forwarding-state bit, or if the family was not
    /// negotiated at all (its End-of-RIB can never come). The rest wait for End-of-RIB, bounded by the stale-path time.
    /// </summary>
    private void ResolveStaleOnReconnect(PeerRuntime peer, RibPeer ribPeer, NegotiatedSession negotiated)
    {
        var gr = negotiated.PeerGracefulRestart;
        var waiting = false;
        foreach (var family in peer.Families)
        {
            if (family.Stale == 0)
            {
                family.GracefulRestart = GracefulRestartState.None;
                continue;
            }
            string? reason = null;
            if (!negotiated.Families.Contains(family.Family))
                reason = "the family is not negotiated in the new session";
            else if (gr is null)
                reason = "the new OPEN has no graceful-restart capability";
            else if (!gr.Families.AsSpan().ToArray().Any(f => f.Family == family.Family))
                reason = "the new OPEN's graceful-restart capability does not list the family";
            else if (!gr.Families.AsSpan().ToArray().First(f => f.Family == family.Family).ForwardingStatePreserved)
                reason = "the peer did not preserve forwarding state for the family";
            if (reason is null)
            {
                family.GracefulRestart = GracefulRestartState.AwaitingEndOfRib;
                waiting = true;
                continue;
            }
            var swept = _rib.SweepStale(ribPeer, family.Family);
            family.PrefixesIn -= swept;
            family.Stale = 0;
            family.GracefulRestart = GracefulRestartState.None;
            Log.StaleSwept(_logger, peer.Config.Address, family.Family, swept, reason);
        }
        peer.Families = [.. peer.Families.Where(f => negotiated.Families.Contains(f.Family) || f.PrefixesIn > 0)];
        if (waiting)
        {
            var generation = ++peer.StaleGeneration;
            peer.StaleTimer?.Dispose();
            peer.StaleTimer = _time.CreateTimer(_ => Post(new SpeakerWork.StaleTimerExpired(peer, generation)), null, _config.StalePathTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void PeerDown(PeerRuntime peer, SessionEnd end)
    {
        peer.Established = false;
        peer.Post(new ExportWork.Down());
        if (peer.Negotiated is { } negotiated)
            RemoveOwnAddress(negotiated.LocalEndPoint.Address);
        if (peer.RibPeer is not { } ribPeer)
            return;
        var restart = peer.Negotiated?.PeerGracefulRestart;
        if (!end.PeerMayRestart || restart is null || restart.RestartTimeSeconds == 0)
        {
            StopTimers(peer);
            var removed = _rib.RemovePeer(ribPeer);
            peer.Families = [];
            peer.RibPeer = null;
            Log.RoutesFlushed(_logger, peer.Config.Address, removed, end.Reason);
            return;
        }

        // RFC 4724 4.2 (receiving speaker). Routes still stale from an earlier restart are deleted: the peer
        // restarted again before refreshing them.
        var sweptEarlier = _rib.SweepStale(ribPeer);
        if (sweptEarlier > 0)
            Log.ConsecutiveRestart(_logger, peer.Config.Address, sweptEarlier);
        var gracefulFamilies = restart.Families.AsSpan().ToArray().Select(f => f.Family).ToHashSet();
        foreach (var family in peer.Families)
        {
            if (sweptEarlier > 0)
            {
                family.PrefixesIn -= family.Stale;
                family.Stale = 0;
            }
            family.EndOfRibReceived = false;
            if (gracefulFamilies.Contains(family.Family))
            {
                // Retained and marked stale; forwarding goes on using them like any other route.
                family.Stale = _rib.MarkStale(ribPeer, family.Family);
                family.GracefulRestart = family.Stale > 0 ? GracefulRestartState.Retained : GracefulRestartState.None;
                Log.RoutesRetained(_logger, peer.Config.Address, family.Family, family.Stale, restart.RestartTimeSeconds, end.Reason);
            }
            else
            {
                // A family the peer's capability did not list cannot be kept.
                var removed = _rib.RemovePeer(ribPeer, family.Family);
                family.PrefixesIn -= removed;
                family.Stale = 0;
                family.GracefulRestart = GracefulRestartState.None;
                Log.StaleSwept(_logger, peer.Config.Address, family.Family, removed, "the peer's graceful-restart capability does not list the family");
            }
        }
        peer.StaleTimer?.Dispose();
        peer.StaleTimer = null;
        peer.StaleGeneration++;
        var generation = ++peer.RestartGeneration;
        peer.RestartTimer?.Dispose();
        peer.RestartTimer = _time.CreateTimer(_ => Post(new SpeakerWork.RestartTimerExpired(peer, generation)), null,
            TimeSpan.FromSeconds(restart.RestartTimeSeconds), Timeout.InfiniteTimeSpan);
    }

    /// <summary>RFC 4724 4.2: at a family's End-of-RIB, whatever of it is still stale is gone.</summary>
    private void EndOfRib(PeerRuntime peer, RibPeer ribPeer, BgpFamily family)
    {
        var state = peer.FamilyOrAdd(family);
        state.EndOfRibReceived = true;
        if (state.Stale > 0)
        {
            var swept = _rib.SweepStale(ribPeer, family);
            state.PrefixesIn -= swept;
            state.Stale = 0;
            Log.StaleSwept(_logger, peer.Config.Address, family, swept, "End-of-RIB");
        }
        state.GracefulRestart = GracefulRestartState.None;
        Log.EndOfRibReceived(_logger, peer.Config.Address, family, state.PrefixesIn);
        if (peer.Families.All(f => f.Stale == 0) && peer.StaleTimer is not null)
        {
            peer.StaleTimer.Dispose();
            peer.StaleTimer = null;
            peer.StaleGeneration++;
        }
    }

    private void RestartTimeRanOut(PeerRuntime peer)
    {
        peer.RestartTimer?.Dispose();
        peer.RestartTimer = null;
        if (peer.Established || peer.RibPeer is not { } ribPeer)
            return;
        SweepAllStale(peer, ribPeer, "the peer's restart time ran out before its session came back");
    }

    private void StaleTimeRanOut(PeerRuntime peer)
    {
        peer.StaleTimer?.Dispose();
        peer.StaleTimer = null;
        if (peer.RibPeer is { } ribPeer)
            SweepAllStale(peer, ribPeer, "End-of-RIB did not come within the stale-path time");
    }

    private void SweepAllStale(PeerRuntime peer, RibPeer ribPeer, string reason)
    {
        foreach (var family in peer.Families)
        {
            if (family.Stale == 0)
                continue;
            var swept = _rib.SweepStale(ribPeer, family.Family);
            family.PrefixesIn -= swept;
            family.Stale = 0;
            family.GracefulRestart = GracefulRestartState.None;
            Log.StaleSwept(_logger, peer.Config.Address, family.Family, swept, reason);
        }
        if (!peer.Established)
        {
            peer.Families = [.. peer.Families.Where(f => f.PrefixesIn > 0)];
            if (peer.Families.Length == 0)
                peer.RibPeer = null;
        }
    }

    private static void StopTimers(PeerRuntime peer)
    {
        peer.RestartTimer?.Dispose();
        peer.RestartTimer = null;
        peer.RestartGeneration++;
        peer.StaleTimer?.Dispose();
        peer.StaleTimer = null;
        peer.StaleGeneration++;
    }

    private void AddOwnAddress(IPAddress address) => _ownAddresses[address] = _ownAddresses.GetValueOrDefault(address) + 1;

    private void RemoveOwnAddress(IPAddress address)
    {
        if (_ownAddresses.TryGetValue(address, out var uses) && --uses <= 0)
            _ownAddresses.Remove(address);
        else if (uses > 0)
            _ownAddresses[address] = uses;
    }

    /// <summary>Publishes the RIB's changes: to the FIB subscribers, and to every Established peer's writer, which exports in parallel.</summary>
    /// <param name="exportInline">The flush follows a quiet spell: up to <see cref="InlineExportsPerFlush"/> idle peers
    /// get the list exported and sent on this turn, instead of waiting for their writers to be scheduled.</param>
    private void Flush(bool exportInline)
    {
        // In lists of at most ChangesPerFlush: the loop stops taking items at that many pending changes, but the item
        // that crosses it can carry hundreds more (a 4,096-byte UPDATE withdraws ~800 /32s), and a longer list is a
        // large object. Withdrawal bursts made one every flush, whose budget then forced a compacting full collection
        // (pauses of 6-16 ms) in the middle of the burst.
        while (_rib.HasChanges)
        {
            var changes = _rib.TakeRouteChanges(ChangesPerFlush);
            if (changes.Length == 0)
                continue;
            Publish(changes, exportInline);
            exportInline = false;
        }
        Volatile.Write(ref _bestPathCount, _rib.Count);
    }

    private void Publish(RouteChange[] changes, bool exportInline)
    {
        foreach (var subscriber in _subscribers)
        {
            foreach (var change in changes)
                subscriber.Writer.TryWrite(change.ToBestPathChange());
        }
        var work = new ExportWork.Changes(changes);
        var inline = exportInline ? InlineExportsPerFlush : 0;
        foreach (var peer in Volatile.Read(ref _peerList))
        {
            if (!peer.Established)
                continue;
            if (inline > 0 && peer.TryExportInline(work))
                inline--;
            else
                peer.Post(work);
        }
    }

    /// <summary>
    /// Before a planned restart: closes every session without a NOTIFICATION, so peers that negotiated graceful restart
    /// keep forwarding on our routes until we are back with End-of-RIB (or our restart time runs out). Dispose after.
    /// </summary>
    public async Task CloseForRestartAsync()
    {
        foreach (var peer in _peers.Values)
            peer.Session.CloseForRestart();
        foreach (var peer in _peers.Values)
            await peer.Session.DrainAsync().ConfigureAwait(false);
        Log.ClosedForRestart(_logger, _peers.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (var peer in _peers.Values)
        {
            await peer.Session.DisposeAsync().ConfigureAwait(false);
            peer.Complete();
        }
        _work.Writer.TryComplete();
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        if (_accept is not null)
            await _accept.ConfigureAwait(false);
        foreach (var peer in _peers.Values)
        {
            StopTimers(peer);
            await peer.Writer.ConfigureAwait(false);
        }
        foreach (var subscriber in _subscribers)
            subscriber.Writer.TryComplete();
        _stopping.Dispose();
    }
}
