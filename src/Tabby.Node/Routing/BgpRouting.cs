using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Speaker;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Node.BgpFilters;
using Tabby.Node.Calc;

namespace Tabby.Node.Routing;

/// <summary>Runs this node's BGP speaker from the routing plan: sessions, announcements, and the routes learned for the FIB.</summary>
/// <remarks>
/// A new plan is applied as a difference: a peer whose settings did not change keeps its session, only added,
/// removed or changed peers are touched; only the speaker's identity (AS, router ID, port, cluster ID) restarts it.
/// Sockets are made in the node's namespace. Learned best paths are kept here and handed to the route manager
/// as routes with Tabby's protocol; the dataplane loop is kicked when they change.
/// </remarks>
public sealed partial class BgpRouting : IAsyncDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Action _routesChanged;
    private readonly SecretReader _secrets;
    private readonly TimeSpan _holdTime;
    private readonly Dictionary<IPAddress, (PeerPlan Plan, BgpPeerConfig Config)> _peers = [];
    private readonly HashSet<IpPrefix> _originated = [];
    private readonly Dictionary<IpPrefix, IPAddress> _learned = [];
    private readonly Lock _lock = new();
    private BgpSpeaker? _speaker;
    private RoutingPlan _plan = RoutingPlan.Disabled;
    private CancellationTokenSource? _subscription;
    private Task _subscriptionTask = Task.CompletedTask;

    public BgpRouting(NetworkNamespace ns, ILoggerFactory loggers, Action routesChanged, string secretsDirectory, TimeSpan? holdTime = null)
    {
        _holdTime = holdTime ?? TimeSpan.FromSeconds(90);
        _namespace = ns ?? throw new ArgumentNullException(nameof(ns));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        _logger = loggers.CreateLogger<BgpRouting>();
        _routesChanged = routesChanged ?? throw new ArgumentNullException(nameof(routesChanged));
        _secrets = new SecretReader(secretsDirectory);
    }

    /// <summary>Set when the speaker was started after a crash of a previous agent (graceful restart's R bit).</summary>
    public bool Restarting { get; set; }

    public RoutingPlan Plan => _plan;

    /// <summary>The routes learned from neighbours, as kernel routes.</summary>
    public IReadOnlyList<Route> LearnedRoutes()
    {
        lock (_lock)
            return [.. _learned.Select(kv => Route.Via(kv.Key, kv.Value))];
    }

    public int LearnedCount
    {
        get
        {
            lock (_lock)
                return _learned.Count;
        }
    }

    /// <summary>Makes the speaker match <paramref name="plan"/>, touching only what differs.</summary>
    public async Task ApplyAsync(RoutingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var previous = _plan;
        _plan = plan;
        if (!plan.Enabled)
        {
            if (_speaker is not null)
            {
                LogStopping(_logger, plan.Reason ?? "routing disabled");
                await StopSpeakerAsync().ConfigureAwait(false);
            }

            return;
        }

        if (_speaker is null || previous.LocalAs != plan.LocalAs || !Equals(previous.RouterAddress, plan.RouterAddress)
            || previous.ListenPort != plan.ListenPort || previous.ClusterId != plan.ClusterId)
        {
            await StopSpeakerAsync().ConfigureAwait(false);
            StartSpeaker(plan);
        }

        // Announcements before sessions: a peer that connects at once (one reconnecting after this agent restarted)
        // must get this node's blocks in its first dump, before End-of-RIB, or it sweeps them as stale.
        ApplyExports(plan);
        await ApplyPeersAsync(plan).ConfigureAwait(false);
    }

    /// <summary>True once every configured neighbour is Established and has sent its IPv4 End-of-RIB: the learned table is
    /// complete, so routes an earlier agent left in the FIB that nobody announces any more can go.</summary>
    public bool Converged
    {
        get
        {
            if (_speaker is not { } speaker || !_plan.Enabled)
                return !_plan.Enabled;
            var statuses = speaker.Peers().ToDictionary(p => p.Address);
            return PeersSnapshot().All(peer => statuses.TryGetValue(peer.Key, out var status)
                && status.State == BgpSessionState.Established
                && status.Families.Any(f => f.Family == Tabby.Bgp.Wire.BgpFamily.Ipv4Unicast && f.EndOfRibReceived));
        }
    }

    /// <summary>The configured neighbours, copied under the lock: status and metrics read them from other threads
    /// while the dataplane loop changes them.</summary>
    private KeyValuePair<IPAddress, (PeerPlan Plan, BgpPeerConfig Config)>[] PeersSnapshot()
    {
        lock (_lock)
            return [.. _peers];
    }

    /// <summary>The neighbours for `tabby node status`.</summary>
    public IReadOnlyList<PeerReport> Report()
    {
        var speaker = _speaker;
        if (speaker is null)
            return [];
        var statuses = speaker.Peers().ToDictionary(p => p.Address);
        var reports = new List<PeerReport>();
        foreach (var (address, (plan, _)) in PeersSnapshot().OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            statuses.TryGetValue(address, out var status);
            var state = status?.State ?? BgpSessionState.Idle;
            reports.Add(new PeerReport(
                address.ToString(),
                TypeName(plan.Type, plan.RouteReflectorClient),
                state == BgpSessionState.Established ? "up" : "start",
                status?.EstablishedAt,
                state == BgpSessionState.Established ? "Established" : $"{state}{(status?.LastError is { } e ? $" ({e})" : "")}",
                status?.PrefixesReceived ?? 0,
                status?.PrefixesAdvertised ?? 0,
                plan.Source));
        }

        return reports;
    }

    /// <summary>On dispose (the agent stopping), end sessions with a Cease instead of closing them for a restart.</summary>
    public bool WithdrawOnStop { get; init; }

    /// <summary>
    /// Stops BGP as the agent stops: by default without a NOTIFICATION, so neighbours keep this node's routes under
    /// graceful restart, and leaving the learned routes in the FIB for the next agent (it keeps them until BGP is back).
    /// </summary>
    public async ValueTask DisposeAsync() => await StopSpeakerAsync(forRestart: !WithdrawOnStop).ConfigureAwait(false);

    private void StartSpeaker(RoutingPlan plan)
    {
        var routerId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(plan.RouterAddress!.GetAddressBytes());
        var config = new BgpSpeakerConfig(routerId, plan.LocalAs)
        {
            Listen = new IPEndPoint(IPAddress.Any, plan.ListenPort),
            ClusterId = plan.ClusterId,
            // RestartTime stays the speaker's default, 120 s as calico-node's; a peer with a maxRestartTime is told its own (PeerConfig).
            LocalAddresses = [plan.RouterAddress],
            Restarting = Restarting,
        };
        var speaker = new BgpSpeaker(config, family => NamespaceSockets.TcpFactory(_namespace)(family), loggers: _loggers);
        // The listening socket is made by the speaker through the same factory, so it too is in the node's namespace.
        speaker.Start();
        _speaker = speaker;
        _subscription = new CancellationTokenSource();
        _subscriptionTask = FollowBestPathsAsync(speaker.SubscribeBestPaths(), _subscription.Token);
        LogStarted(_logger, plan.RouterAddress.ToString(), plan.LocalAs, plan.ListenPort, plan.ClusterId is { } c ? new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(c)).ToString() : "none");
    }

    private async Task StopSpeakerAsync(bool forRestart = false)
    {
        if (_speaker is not { } speaker)
            return;
        _speaker = null;
        lock (_lock)
            _peers.Clear();
        _originated.Clear();
        if (_subscription is { } cts)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await _subscriptionTask.ConfigureAwait(false);
            cts.Dispose();
            _subscription = null;
        }

        if (forRestart)
        {
            await speaker.CloseForRestartAsync().ConfigureAwait(false);
            await speaker.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await speaker.DisposeAsync().ConfigureAwait(false);
        lock (_lock)
            _learned.Clear();
        _routesChanged();
    }

    private async Task ApplyPeersAsync(RoutingPlan plan)
    {
        var speaker = _speaker!;
        var wanted = new Dictionary<IPAddress, (PeerPlan, BgpPeerConfig)>();
        foreach (var peer in plan.Peers)
        {
            if (ToConfig(plan, peer) is { } config)
                wanted[peer.Address] = (peer, config);
        }

        foreach (var (address, (old, _)) in PeersSnapshot())
        {
            if (wanted.TryGetValue(address, out var now) && now.Item1.DescribeSession() == old.DescribeSession())
            {
                if (now.Item1.DescribeFilters() != old.DescribeFilters())
                {
                    // Only the filters changed: new policies on the running session, as BIRD reconfigures a filter.
                    speaker.UpdatePolicies(address, now.Item2.Import, now.Item2.Export);
                    lock (_lock)
                        _peers[address] = now;
                    LogPeerFiltersChanged(_logger, address.ToString(), now.Item1.DescribeFilters());
                }

                continue;
            }

            await speaker.RemovePeerAsync(address).ConfigureAwait(false);
            lock (_lock)
                _peers.Remove(address);
            LogPeerRemoved(_logger, address.ToString(), old.Source);
        }

        var configured = PeersSnapshot().Select(p => p.Key).ToHashSet();
        foreach (var (address, (peer, config)) in wanted)
        {
            if (configured.Contains(address))
                continue;
            speaker.AddPeer(config);
            lock (_lock)
                _peers[address] = (peer, config);
            LogPeerAdded(_logger, address.ToString(), peer.RemoteAs, TypeName(peer.Type, peer.RouteReflectorClient), peer.Source);
        }
    }

    private BgpPeerConfig? ToConfig(RoutingPlan plan, PeerPlan peer)
    {
        string? password = null;
        if (peer.Password is { } reference)
        {
            password = _secrets.Read(reference, out var problem);
            if (password is null)
            {
                LogPeerSkipped(_logger, peer.Address.ToString(), problem ?? "unreadable password");
                return null;
            }
        }

        return new BgpPeerConfig(peer.Address, peer.RemoteAs)
        {
            Port = peer.Port,
            // RFC 4271: 0 or at least 3 seconds.
            HoldTime = (ushort)Math.Clamp(peer.KeepaliveTime is { } keepalive ? keepalive.TotalSeconds * 3 : _holdTime.TotalSeconds, 3, 65535),
            LocalAddress = peer.UseNodeAddress ? plan.RouterAddress : null,
            Password = password,
            RouteReflectorClient = peer.RouteReflectorClient,
            Import = ImportPolicy(plan, peer),
            Export = ExportPolicy(plan, peer),
            // A session that ends with a NOTIFICATION (a hold-timer expiry when a link is cut) drops the routes at once;
            // one that just ends (an agent killed and restarting) keeps them as stale for the restart time (RFC 4724).
            GracefulRestartNotification = false,
            RestartTime = peer.MaxRestartTime is { } restart ? (ushort)Math.Clamp(restart.TotalSeconds, 1, 4095) : null,
            ConnectRetry = TimeSpan.FromMilliseconds(250),
            MaxConnectRetry = TimeSpan.FromSeconds(5),
        };
    }

    private static IRoutePolicy ImportPolicy(RoutingPlan plan, PeerPlan peer)
    {
        // From other nodes only workload routes; from outside routers (top-of-rack) also a default route.
        var pools = new PoolImportPolicy(plan.ImportPools, acceptDefault: peer.PeerNode is null);
        return peer.Filters.Count == 0 ? pools : new BgpFilterPolicy(peer.Filters, import: true, sameAs: peer.RemoteAs == plan.LocalAs, fallback: pools);
    }

    private static IRoutePolicy? ExportPolicy(RoutingPlan plan, PeerPlan peer)
    {
        var nextHop = peer.KeepOriginalNextHop ? KeepNextHopPolicy.Instance : null;
        return peer.Filters.Count == 0 ? nextHop : new BgpFilterPolicy(peer.Filters, import: false, sameAs: peer.RemoteAs == plan.LocalAs, fallback: null, after: nextHop);
    }

    private void ApplyExports(RoutingPlan plan)
    {
        var speaker = _speaker!;
        var wanted = plan.Exports.ToHashSet();
        foreach (var prefix in _originated.Where(p => !wanted.Contains(p)).ToList())
        {
            speaker.Withdraw(prefix);
            _originated.Remove(prefix);
            LogWithdrawn(_logger, prefix.ToString());
        }

        foreach (var prefix in wanted.Where(p => !_originated.Contains(p)))
        {
            speaker.Originate(prefix);
            _originated.Add(prefix);
            LogAnnounced(_logger, prefix.ToString());
        }
    }

    private async Task FollowBestPathsAsync(ChannelReader<BestPathChange> changes, CancellationToken stop)
    {
        try
        {
            while (await changes.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    while (changes.TryRead(out var change))
                    {
                        if (change.Best is { } best && best.Peer.Kind != PeerKind.Local && best.Attributes.NextHopFor(change.Prefix.IsIPv6) is { } hop)
                            _learned[change.Prefix] = hop;
                        else
                            _learned.Remove(change.Prefix);
                    }
                }

                _routesChanged();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The speaker is stopping.
        }
        catch (ChannelClosedException)
        {
            // The speaker was disposed.
        }
    }

    private static string TypeName(PeerType type, bool client) => type switch
    {
        PeerType.Mesh => "node-to-node mesh",
        PeerType.Global => "global",
        PeerType.NodeSpecific => "node specific",
        _ => client ? "reflector client" : "route reflector",
    };

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "BGP speaker started: router {Router}, AS{As}, port {Port}, reflector cluster {Cluster}")]
    private static partial void LogStarted(ILogger logger, string router, uint @as, int port, string cluster);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "BGP speaker stopped: {Reason}")]
    private static partial void LogStopping(ILogger logger, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "BGP peer {Peer} AS{As} added ({Type}, from {Source})")]
    private static partial void LogPeerAdded(ILogger logger, string peer, uint @as, string type, string source);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "BGP peer {Peer} removed (was from {Source})")]
    private static partial void LogPeerRemoved(ILogger logger, string peer, string source);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "BGP peer {Peer} not configured: {Reason}")]
    private static partial void LogPeerSkipped(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "announcing {Prefix}")]
    private static partial void LogAnnounced(ILogger logger, string prefix);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "withdrawing {Prefix}")]
    private static partial void LogWithdrawn(ILogger logger, string prefix);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information, Message = "BGP peer {Peer} filters changed, applied without a reset: {Filters}")]
    private static partial void LogPeerFiltersChanged(ILogger logger, string peer, string filters);
}
