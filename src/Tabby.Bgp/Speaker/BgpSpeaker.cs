using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net;
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
/// loop's next batch. A burst of 100,000 prefixes becomes a pipeline, not one long stall.
/// </remarks>
public sealed class BgpSpeaker : ISessionListener, IAsyncDisposable
{
    private readonly BgpSpeakerConfig _config;
    private readonly BgpSocketFactory _sockets;
    private readonly BgpDialer _dialer;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Channel<SpeakerWork> _work = Channel.CreateUnbounded<SpeakerWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<IPAddress, PeerRuntime> _peers = new();
    private readonly ConcurrentDictionary<BgpSession, PeerRuntime> _bySession = new();
    private readonly List<Channel<BestPathChange>> _subscribers = [];
    private readonly LocRib _rib = new();
    private readonly RouteReflectionRules _reflection;
    private readonly RibPeer _localPeer;
    private readonly CancellationTokenSource _stopping = new();

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
    }

    public BgpSpeakerConfig Config => _config;

    /// <summary>The address and port the speaker listens on, once started (port 0 in the config picks a free one).</summary>
    public IPEndPoint? ListenEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Starts the RIB loop and, when configured, the listener. Peers added before or after start both work.</summary>
    public void Start()
    {
        if (_loop is not null)
            throw new InvalidOperationException("the speaker is already running");
        _loop = Task.Run(RunRibLoopAsync);
        if (_config.Listen is { } listen)
        {
            var listener = _sockets(listen.AddressFamily);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(listen);
            listener.Listen(1024);
            _listener = listener;
            foreach (var peer in _peers.Values.Where(p => p.Config.Password is not null))
                SocketOptions.SetMd5(listener, peer.Config.Address, peer.Config.Password!);
            _accept = Task.Run(AcceptLoopAsync);
        }
        foreach (var peer in _peers.Values)
            peer.Session.Start();
    }

    public void AddPeer(BgpPeerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var session = new BgpSession(config, _config, _dialer, this, _time, _loggers.CreateLogger("Tabby.Bgp.Session"));
        var runtime = new PeerRuntime(config, session);
        if (!_peers.TryAdd(config.Address, runtime))
        {
            _ = session.DisposeAsync().AsTask();
            throw new ArgumentException($"peer {config.Address} is already configured", nameof(config));
        }
        _bySession[session] = runtime;
        if (_listener is not null && config.Password is not null)
            SocketOptions.SetMd5(_listener, config.Address, config.Password);
        if (_loop is not null)
            session.Start();
    }

    public async Task RemovePeerAsync(IPAddress address)
    {
        if (!_peers.TryRemove(address, out var runtime))
            return;
        await runtime.Session.DisposeAsync().ConfigureAwait(false);
        _bySession.TryRemove(runtime.Session, out _);
        Post(new SpeakerWork.RemovePeer(runtime));
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

    public IReadOnlyList<PeerStatus> Peers() =>
        _peers.Values.Select(p => new PeerStatus(
            p.Config.Address, p.Config.RemoteAs, p.Session.State, p.Session.EstablishedAt,
            p.PrefixesReceived, p.PrefixesAdvertised, p.Session.MessagesIn, p.Session.MessagesOut,
            p.StalePrefixes, p.Session.LastError)).OrderBy(p => p.Address.ToString(), StringComparer.Ordinal).ToList();

    /// <summary>The best paths now, read on the RIB loop.</summary>
    public Task<IReadOnlyList<RibPath>> BestPathsAsync()
    {
        var result = new TaskCompletionSource<IReadOnlyList<RibPath>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new SpeakerWork.Query(() => result.SetResult(_rib.BestPaths().ToList())));
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
            Post(new SpeakerWork.Update(peer, update));
    }

    void ISessionListener.RouteRefreshReceived(BgpSession session, BgpFamily family)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.Refresh(peer, family));
    }

    void ISessionListener.SessionDown(BgpSession session, SessionEnd end)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.PeerDown(peer, end.Reason, end.PeerMayRestart));
    }

    private void Post(SpeakerWork work) => _work.Writer.TryWrite(work);

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
                socket.Dispose();
            }
        }
    }

    private async Task RunRibLoopAsync()
    {
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Flush every few dozen UPDATEs: the first prefixes leave while later ones are still being
            // selected, and the peer writers pack in parallel with the loop.
            var budget = 64;
            while (budget-- > 0 && reader.TryRead(out var work))
                Process(work);
            Flush();
        }
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
                PeerDown(down.Peer, down.PeerMayRestart);
                break;
            case SpeakerWork.Refresh r when r.Peer.Established:
                r.Peer.Post(new ExportWork.Refresh());
                break;
            case SpeakerWork.Originate o:
                _rib.Announce(_localPeer, o.Prefix, o.Attributes);
                break;
            case SpeakerWork.Withdraw w:
                _rib.Withdraw(_localPeer, w.Prefix);
                break;
            case SpeakerWork.StaleTimerExpired s when s.Generation == s.Peer.StaleGeneration && s.Peer.RibPeer is { } stalePeer:
                _rib.SweepStale(stalePeer);
                s.Peer.StalePrefixes = 0;
                break;
            case SpeakerWork.RemovePeer r:
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
        if (update.IsEndOfRib(out var family))
        {
            // The restarted peer has resent everything it still has: what is still stale is gone (RFC 4724 4.2).
            if (peer.StalePrefixes > 0)
            {
                _rib.SweepStale(ribPeer, family);
                peer.StalePrefixes = 0;
                peer.StaleGeneration++;
            }
            return;
        }
        // Spans over the decoded arrays, not the list helpers of BgpUpdate: a full table arrives here
        // one prefix at a time, and List<IpPrefix> is JIT-compiled generic code, slow until it tiers up.
        WithdrawAll(ribPeer, update.WithdrawnRoutes.AsSpan());
        if (update.MpUnreach is { } unreach)
            WithdrawAll(ribPeer, unreach.Prefixes.AsSpan());
        var nlri = update.Nlri.AsSpan();
        var mpNlri = update.MpReach is { } reach ? reach.Prefixes.AsSpan() : default;
        if (update.TreatAsWithdraw)
        {
            WithdrawAll(ribPeer, nlri);
            WithdrawAll(ribPeer, mpNlri);
            return;
        }
        if (nlri.IsEmpty && mpNlri.IsEmpty)
            return;
        var attributes = update.Attributes;
        // RFC 4456 8 and RFC 4271 9.1.2: our own routes coming back are loops, as good as withdrawn.
        if (_reflection.IsLoop(attributes) || (ribPeer.IsExternal && (attributes.AsPath?.Contains(_config.As) ?? false)))
        {
            WithdrawAll(ribPeer, nlri);
            WithdrawAll(ribPeer, mpNlri);
        }
        else
        {
            AnnounceAll(peer, ribPeer, nlri, attributes);
            AnnounceAll(peer, ribPeer, mpNlri, attributes);
        }
        peer.PrefixesReceived += nlri.Length + mpNlri.Length;
    }

    private void WithdrawAll(RibPeer ribPeer, ReadOnlySpan<IpPrefix> prefixes)
    {
        foreach (var prefix in prefixes)
            _rib.Withdraw(ribPeer, prefix);
    }

    private void AnnounceAll(PeerRuntime peer, RibPeer ribPeer, ReadOnlySpan<IpPrefix> prefixes, PathAttributes attributes)
    {
        if (peer.Config.Import is not { } import)
        {
            foreach (var prefix in prefixes)
                _rib.Announce(ribPeer, prefix, attributes);
            return;
        }
        var context = new PolicyContext(_config.As);
        foreach (var prefix in prefixes)
        {
            var result = import.Evaluate(prefix, attributes, context);
            if (result.Accepted)
                _rib.Announce(ribPeer, prefix, result.Attributes);
            else
                _rib.Withdraw(ribPeer, prefix);
        }
    }

    private void PeerUp(PeerRuntime peer, NegotiatedSession negotiated)
    {
        var kind = peer.Session.IsExternal ? PeerKind.External : PeerKind.Internal;
        var ribPeer = new RibPeer(peer.Config.Address, negotiated.PeerRouterId, negotiated.PeerAs, kind, peer.Config.RouteReflectorClient);
        if (peer.RibPeer is { } previous && !previous.Equals(ribPeer))
        {
            // A different router behind the same address: its predecessor's stale routes cannot be refreshed.
            _rib.RemovePeer(previous);
            peer.StalePrefixes = 0;
        }
        peer.RibPeer = ribPeer;
        peer.Negotiated = negotiated;
        peer.Context = new BgpCodecContext(negotiated.FourOctetAs, peer.Session.IsExternal);
        peer.Established = true;
        var exporter = new PeerExporter(_reflection, _config.As, ribPeer, peer.Config, negotiated.LocalEndPoint, negotiated.Families);
        peer.Post(new ExportWork.Initial(exporter, _rib.BestPaths().ToList(), negotiated.Families, peer.Context));
    }

    private void PeerDown(PeerRuntime peer, bool peerMayRestart)
    {
        peer.Established = false;
        peer.Post(new ExportWork.Down());
        if (peer.RibPeer is not { } ribPeer)
            return;
        var restart = peer.Negotiated?.PeerGracefulRestart;
        if (peerMayRestart && restart is not null && restart.RestartTimeSeconds > 0)
        {
            // RFC 4724 4.2 (receiving speaker): keep forwarding on the peer's routes, marked stale, until it
            // comes back and sends End-of-RIB, or until its restart time runs out.
            peer.StalePrefixes = _rib.MarkStale(ribPeer);
            var generation = ++peer.StaleGeneration;
            _time.CreateTimer(_ => Post(new SpeakerWork.StaleTimerExpired(peer, generation)), null,
                TimeSpan.FromSeconds(restart.RestartTimeSeconds), Timeout.InfiniteTimeSpan);
            return;
        }
        _rib.RemovePeer(ribPeer);
        peer.RibPeer = null;
    }

    /// <summary>Publishes the RIB's changes: to the FIB subscribers, and to every Established peer's writer, which exports in parallel.</summary>
    private void Flush()
    {
        var changes = _rib.TakeChanges();
        if (changes.Length == 0)
            return;
        foreach (var subscriber in _subscribers)
        {
            foreach (var change in changes)
                subscriber.Writer.TryWrite(change);
        }
        foreach (var peer in _peers.Values)
        {
            if (peer.Established)
                peer.Post(new ExportWork.Changes(changes));
        }
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
        foreach (var subscriber in _subscribers)
            subscriber.Writer.TryComplete();
        _stopping.Dispose();
    }
}
