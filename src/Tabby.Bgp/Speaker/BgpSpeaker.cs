using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
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
///                                      │                 └──▶ Adj-RIB-Out per peer ──▶ packed UPDATEs ──▶ peer writers
///  Originate/Withdraw ─────────────────┘
/// </code>
/// One loop owns the RIB, so the RIB needs no locks; it drains every queued item before it flushes,
/// which batches a burst of 100,000 prefixes into a few thousand packed UPDATEs per peer.
/// </remarks>
public sealed class BgpSpeaker : ISessionListener, IAsyncDisposable
{
    private readonly BgpSpeakerConfig _config;
    private readonly BgpSocketFactory _sockets;
    private readonly TimeProvider _time;
    private readonly Channel<SpeakerWork> _work = Channel.CreateUnbounded<SpeakerWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<IPAddress, PeerRuntime> _peers = new();
    private readonly ConcurrentDictionary<BgpSession, PeerRuntime> _bySession = new();
    private readonly List<Channel<BestPathChange>> _subscribers = [];
    private readonly LocRib _rib = new();
    private readonly RouteReflectionRules _reflection;
    private readonly RibPeer _localPeer;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Export attributes per (best path's attribute set, its source, target peer), valid for one flush.
    /// Thousands of prefixes share an attribute set, so the rewrite for a peer is computed once per set, not per prefix.
    /// </summary>
    private readonly Dictionary<(PathAttributes Attributes, RibPeer From, PeerRuntime To, bool V6), PathAttributes> _exportCache = new(ExportKeyComparer.Instance);
    private Socket? _listener;
    private Task? _loop;
    private Task? _accept;

    public BgpSpeaker(BgpSpeakerConfig config, BgpSocketFactory? sockets = null, TimeProvider? time = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _sockets = sockets ?? (family => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
        _time = time ?? TimeProvider.System;
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
        var session = new BgpSession(config, _config, _sockets, this, _time);
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
            p.PrefixesReceived, p.Out?.AdvertisedCount ?? 0, p.Session.MessagesIn, p.Session.MessagesOut,
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

    void ISessionListener.SessionDown(BgpSession session, string reason, bool peerMayRestart)
    {
        if (_bySession.TryGetValue(session, out var peer))
            Post(new SpeakerWork.PeerDown(peer, reason, peerMayRestart));
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
            case SpeakerWork.Refresh r when r.Peer.Out is { } adjOut:
                adjOut.RefreshAll();
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
        foreach (var prefix in update.Withdrawn())
            _rib.Withdraw(ribPeer, prefix);
        if (update.TreatAsWithdraw)
            return;
        var announced = update.Announced();
        if (announced.Count == 0)
            return;
        var attributes = update.Attributes;
        // RFC 4456 8 and RFC 4271 9.1.2: our own routes coming back are loops, as good as withdrawn.
        var loop = _reflection.IsLoop(attributes) || (ribPeer.IsExternal && (attributes.AsPath?.Contains(_config.As) ?? false));
        var import = peer.Config.Import;
        var context = import is null ? null : new PolicyContext(_config.As);
        foreach (var prefix in announced)
        {
            if (loop)
            {
                _rib.Withdraw(ribPeer, prefix);
                continue;
            }
            if (import is null)
            {
                _rib.Announce(ribPeer, prefix, attributes);
                continue;
            }
            var result = import.Evaluate(prefix, attributes, context!);
            if (result.Accepted)
                _rib.Announce(ribPeer, prefix, result.Attributes);
            else
                _rib.Withdraw(ribPeer, prefix);
        }
        peer.PrefixesReceived += announced.Count;
    }

    private void PeerUp(PeerRuntime peer, NegotiatedSession negotiated)
    {
        var kind = negotiated.PeerAs == _config.As ? PeerKind.Internal : PeerKind.External;
        var ribPeer = new RibPeer(peer.Config.Address, negotiated.PeerRouterId, negotiated.PeerAs, kind, peer.Config.RouteReflectorClient);
        if (peer.RibPeer is { } previous && !previous.Equals(ribPeer))
        {
            // A different router behind the same address: its predecessor's stale routes cannot be refreshed.
            _rib.RemovePeer(previous);
            peer.StalePrefixes = 0;
        }
        peer.RibPeer = ribPeer;
        peer.Negotiated = negotiated;
        (peer.SelfNextHopV4, peer.SelfNextHopV6) = SelfNextHops(negotiated);
        peer.ExportsV4 = negotiated.Families.Contains(BgpFamily.Ipv4Unicast);
        peer.ExportsV6 = negotiated.Families.Contains(BgpFamily.Ipv6Unicast);
        peer.Context = negotiated.Context(_config.As);
        peer.Out = new AdjRibOut(ribPeer);
        peer.Established = true;
        ClearExportCache();
        foreach (var path in _rib.BestPaths())
            Export(peer, path.Prefix, path);
        FlushPeer(peer);
        // End-of-RIB after the initial table: a restarting peer's cue to sweep what we no longer have.
        peer.Enqueue(negotiated.Families.Select(BgpUpdatePacker.EndOfRib).ToList());
    }

    private void PeerDown(PeerRuntime peer, bool peerMayRestart)
    {
        peer.Established = false;
        peer.Out = null;
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

    private void Flush()
    {
        ClearExportCache();
        var changes = _rib.TakeChanges();
        if (changes.Count == 0)
        {
            foreach (var peer in _peers.Values)
                FlushPeer(peer);
            return;
        }
        foreach (var subscriber in _subscribers)
        {
            foreach (var change in changes)
                subscriber.Writer.TryWrite(change);
        }
        var established = _peers.Values.Where(p => p.Established).ToList();
        foreach (var change in changes)
        {
            foreach (var peer in established)
                Export(peer, change.Prefix, change.Best);
        }
        foreach (var peer in established)
            FlushPeer(peer);
    }

    /// <summary>Decides what one peer should hear about one prefix, and queues it in its Adj-RIB-Out.</summary>
    private void Export(PeerRuntime peer, IpPrefix prefix, RibPath? best)
    {
        var adjOut = peer.Out!;
        if (best is null || !(prefix.IsIPv6 ? peer.ExportsV6 : peer.ExportsV4) || !_reflection.ShouldAdvertise(best, peer.RibPeer!))
        {
            adjOut.Withdraw(prefix);
            return;
        }
        var selfNextHop = SelfNextHop(peer, prefix);
        var key = (best.Attributes, best.Peer, peer, prefix.IsIPv6);
        // Consecutive prefixes usually come from one UPDATE and share everything: check the last key first.
        PathAttributes attributes;
        if (ReferenceEquals(peer.LastExportKey.Attributes, key.Attributes) && ReferenceEquals(peer.LastExportKey.From, key.Peer) && peer.LastExportKey.V6 == key.Item4)
            attributes = peer.LastExportResult!;
        else if (_exportCache.TryGetValue(key, out var cached))
            attributes = cached;
        else
        {
            var nextHopSelf = best.Peer.Kind == PeerKind.Local || peer.RibPeer!.IsExternal || (peer.Config.NextHopSelf && !best.Peer.IsInternal);
            attributes = _reflection.PrepareForPeer(best, peer.RibPeer!, peer.RibPeer!.IsExternal ? selfNextHop : null);
            if (nextHopSelf && selfNextHop is not null)
                attributes = RouteReflectionRules.WithNextHop(attributes, selfNextHop);
            _exportCache[key] = attributes;
        }
        peer.LastExportKey = (key.Attributes, key.Peer, key.Item4);
        peer.LastExportResult = attributes;
        if (peer.Config.Export is { } export)
        {
            var result = export.Evaluate(prefix, attributes, new PolicyContext(_config.As, selfNextHop?.Global, selfNextHop, best.Attributes));
            if (!result.Accepted)
            {
                adjOut.Withdraw(prefix);
                return;
            }
            attributes = result.Attributes;
        }
        adjOut.Advertise(prefix, attributes);
    }

    private void ClearExportCache()
    {
        _exportCache.Clear();
        foreach (var peer in _peers.Values)
        {
            peer.LastExportKey = default;
            peer.LastExportResult = null;
        }
    }

    private static BgpNextHop? SelfNextHop(PeerRuntime peer, IpPrefix prefix) =>
        prefix.IsIPv6 ? peer.SelfNextHopV6 : peer.SelfNextHopV4;

    /// <summary>Our address on the session, as the next hop we announce for each family (null where the session's address cannot serve).</summary>
    private static (BgpNextHop? V4, BgpNextHop? V6) SelfNextHops(NegotiatedSession negotiated)
    {
        var local = negotiated.LocalEndPoint.Address;
        if (local.IsIPv4MappedToIPv6)
            local = local.MapToIPv4();
        var hop = new BgpNextHop(local);
        return local.AddressFamily == AddressFamily.InterNetworkV6 ? (null, hop) : (hop, null);
    }

    private static void FlushPeer(PeerRuntime peer)
    {
        if (peer.Out is not { HasPending: true } adjOut)
            return;
        peer.Enqueue(adjOut.TakePending());
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
