using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Sysctls;
using Tabby.Node.Calc;
using Tabby.Node.Status;

namespace Tabby.Node.Dataplane;

/// <summary>The one apply loop: takes batches from the calculation graph and kicks from kernel events, and makes the kernel
/// match what is wanted with a minimal diff; reads everything back on a timer.</summary>
/// <remarks>
/// It never blocks the calculation graph (batches queue up and are merged), it touches nothing before the
/// first in-sync batch (so a restart never tears down routes from a half-read datastore), and a failed apply
/// is retried with backoff rather than given up.
/// </remarks>
public sealed partial class DataplaneDriver
{
    private readonly IKernel _kernel;
    private readonly AgentMetrics _metrics;
    private readonly ILogger _logger;
    private readonly DataplaneOptions _options;
    private readonly TimeProvider _time;
    private readonly EndpointManager _endpoints = new();
    private readonly RouteManager _routes = new();
    private readonly Channel<DataplaneBatch> _batches = Channel.CreateUnbounded<DataplaneBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private bool _inSync;
    private bool _ipv4Forwarding;
    private bool _ipv6Forwarding;
    private int _failures;
    private volatile DataplaneSnapshot _snapshot = DataplaneSnapshot.Empty;
    private long _heartbeat;
    private Routing.BgpRouting? _routing;
    private readonly HashSet<Tabby.Core.Addressing.IpPrefix> _reportedForeign = [];

    // Learned routes an earlier agent left in the FIB, kept until BGP has re-learned the table or the retention
    // runs out, so a restart never takes away a route that still works (graceful restart's forwarding side).
    private Dictionary<Tabby.Core.Addressing.IpPrefix, Route>? _retained;
    private DateTimeOffset _retainUntil;
    private RoutingPlan? _pendingPlan;
    private readonly VxlanManager _vxlan;
    private readonly WorkloadMtuFile _mtuFile;
    private volatile bool _followsOtherRoutes;
    private int _routingFailures;
    private readonly IpipCheck _ipip;
    private OverlayPlan _overlay = OverlayPlan.None;
    private string? _overlayProblem;
    private List<Route> _lastOverlayRoutes = [];
    private IReadOnlyList<RefusedRoute> _refused = [];

    public DataplaneDriver(IKernel kernel, AgentMetrics metrics, ILogger logger, DataplaneOptions? options = null, TimeProvider? time = null)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new DataplaneOptions();
        _time = time ?? TimeProvider.System;
        _heartbeat = _time.GetTimestamp();
        _vxlan = new VxlanManager(kernel.Netlink, _options.VtepLinger, _time);
        _mtuFile = new WorkloadMtuFile(_options.MtuFile);
        _ipip = new IpipCheck(kernel.Netlink);
    }

    /// <summary>
    /// Some learned next hop is reached through other routes (or not yet at all): a change to any route in the main
    /// table, not only to ours, may change where a learned route must point, so kernel events for them need an apply.
    /// </summary>
    public bool FollowsOtherRoutes => _followsOtherRoutes;

    /// <summary>What the last apply left in the kernel.</summary>
    public DataplaneSnapshot Snapshot => _snapshot;

    /// <summary>True once the first in-sync state has been applied and the last apply succeeded.</summary>
    public bool Ready => _snapshot.LastApply is not null && _snapshot.LastError is null;

    /// <summary>How long since the loop last went round (liveness).</summary>
    public TimeSpan SinceHeartbeat => _time.GetElapsedTime(Interlocked.Read(ref _heartbeat));

    /// <summary>Hands the BGP speaker's management to this loop: routing plans are applied here (once in sync), and
    /// learned routes are programmed with the rest.</summary>
    public void UseRouting(Routing.BgpRouting routing) => _routing = routing;

    /// <summary>Queues changes from the calculation graph; never blocks.</summary>
    public void Enqueue(DataplaneBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _batches.Writer.TryWrite(batch);
    }

    /// <summary>Asks for an apply soon (a kernel event suggested something changed behind our back).</summary>
    public void Kick() => _kicks.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken stop)
    {
        var nextResync = _time.GetUtcNow() + _options.ResyncInterval;
        var retryAt = DateTimeOffset.MaxValue;
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _heartbeat, _time.GetTimestamp());
            var now = _time.GetUtcNow();
            var wakeAt = retryAt < nextResync ? retryAt : nextResync;
            if (_vxlan.RetireAt is { } retire && retire < wakeAt)
                wakeAt = retire;
            var wait = wakeAt > now ? wakeAt - now : TimeSpan.Zero;
            // Wake at least every few seconds so liveness sees the loop turning even when nothing happens, and every
            // second while routes from a previous agent are kept, to let them go as soon as BGP has converged.
            var most = _retained is { Count: > 0 } ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
            if (wait > most)
                wait = most;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                timeout.CancelAfter(wait);
                try
                {
                    await Task.WhenAny(_batches.Reader.WaitToReadAsync(timeout.Token).AsTask(), _kicks.Reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // The wait ran out: a resync or retry is due, or just a heartbeat.
                }
            }

            if (stop.IsCancellationRequested)
                break;

            var changed = false;
            while (_batches.Reader.TryRead(out var batch))
            {
                Merge(batch);
                changed = true;
            }

            while (_kicks.Reader.TryRead(out _))
                changed = true;
            if (_retained is { Count: > 0 })
                changed = true;

            now = _time.GetUtcNow();
            var resync = now >= nextResync;
            if (now >= retryAt || (_vxlan.RetireAt is { } due && now >= due))
                changed = true;
            if (!_inSync || (!changed && !resync))
                continue;

            // BGP follows the datastore only once the whole picture is in: a half-read one would announce part of
            // this node's blocks and make sessions it does not want.
            var routingFailed = false;
            if (_pendingPlan is { } plan && _routing is { } routing)
            {
                _pendingPlan = null;
                try
                {
                    await routing.ApplyAsync(plan).ConfigureAwait(false);
                    _routingFailures = 0;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException or ArgumentException)
                {
                    // A port someone else holds, a peer the speaker refuses: say so and try the plan again with the
                    // apply's backoff, rather than end the agent (its workloads keep forwarding meanwhile).
                    _pendingPlan ??= plan;
                    _routingFailures++;
                    routingFailed = true;
                    LogRoutingFailed(_logger, _routingFailures, e.Message);
                }
            }

            if (resync)
            {
                nextResync = now + _options.ResyncInterval;
                _endpoints.Invalidate();
                _metrics.Resyncs.Inc();
            }

            if (Apply() && !routingFailed)
            {
                retryAt = DateTimeOffset.MaxValue;
            }
            else
            {
                var failures = Math.Max(1, Math.Max(_failures, _routingFailures));
                var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.MinRetryDelay.Ticks << Math.Min(failures - 1, 16)));
                retryAt = _time.GetUtcNow() + delay;
            }
        }
    }

    /// <summary>Applies merged state now (tests and the first in-sync apply use it directly).</summary>
    internal bool Apply()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            EnsureGlobalSettings();
            var links = _kernel.ListLinks();
            var (sysctls, workloadRoutes) = _endpoints.Plan(links);
            foreach (var (setting, error) in _kernel.WriteSysctls(sysctls))
            {
                LogSysctlFailed(_logger, setting.ToString(), error.Message);
                if (InterfaceOf(setting) is { } name)
                    _endpoints.Forget(name);
            }

            // The overlay first: its device must exist before routes through it. Its routes come from the datastore and
            // win over BGP's for the same block; BGP's stay for whatever the overlay does not (yet) cover.
            List<Route> overlayRoutes;
            string? vxlanProblem = null;
            try
            {
                (overlayRoutes, var overlayChanges) = _vxlan.Apply(_overlay, links);
                foreach (var change in overlayChanges)
                    LogOverlayChange(_logger, change);
                _lastOverlayRoutes = overlayRoutes;
            }
            catch (Exception e) when (e is Tabby.Linux.Netlink.NetlinkException or IOException)
            {
                // The rest of the node still gets programmed; the routes through the device stay as they were.
                vxlanProblem = $"VXLAN: {e.Message}";
                overlayRoutes = _lastOverlayRoutes;
            }

            try
            {
                if (_mtuFile.Update(_vxlan.DeviceMtu > 0 ? _vxlan.DeviceMtu : null) is { } mtuChange)
                    LogWorkloadMtu(_logger, mtuChange, _options.MtuFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWorkloadMtuFailed(_logger, _options.MtuFile!, e.Message);
            }

            var overlayProblem = _ipip.Check(_overlay.IpipPools, links);
            if (vxlanProblem is not null)
                overlayProblem = overlayProblem is null ? vxlanProblem : $"{vxlanProblem}; {overlayProblem}";
            if (overlayProblem != _overlayProblem)
            {
                if (overlayProblem is not null)
                    LogOverlayProblem(_logger, overlayProblem);
                else
                    LogOverlayProblemGone(_logger);
                _overlayProblem = overlayProblem;
            }

            // IPIP pools this agent cannot tunnel get no route at all rather than an unencapsulated one.
            IReadOnlyList<Route> bgpLearned = [.. Learned().Where(r => !_overlay.IpipCidrs.Any(c => c.Contains(r.Destination)))];
            IReadOnlyList<Route>? mainTable = null;
            HashSet<Tabby.Core.Addressing.IpPrefix> unresolved = [];
            if (bgpLearned.Count > 0)
            {
                // A next hop in another subnet is installed via the gateway that reaches it (BIRD's gateway recursive).
                mainTable = _kernel.ListMainTable();
                bgpLearned = NextHopResolver.Resolve(bgpLearned, mainTable, out var follows, out unresolved);
                _followsOtherRoutes = follows;
            }
            else
            {
                _followsOtherRoutes = false;
            }

            var learnedByDestination = bgpLearned.ToDictionary(r => r.Destination);
            foreach (var route in overlayRoutes)
                learnedByDestination[route.Destination] = route;
            var overlayDestinations = overlayRoutes.Select(r => r.Destination).ToHashSet();
            var learned = learnedByDestination.Values.ToList();
            var own = _kernel.ListOwnRoutes();
            var (deletes, upserts) = _routes.Plan(workloadRoutes, learned, own);
            // Learned routes go last and on their own: one whose next hop the kernel cannot reach (yet) is logged,
            // not a failure of the node's own routes.
            // A replace would overwrite whichever route holds the destination, whoever put it there: a route of
            // someone else's (a static default, another daemon's) is left alone and said once.
            if (upserts.Count > 0)
            {
                var foreign = (mainTable ?? _kernel.ListMainTable()).Where(r => r.Protocol != RouteProtocol.Tabby).Select(r => r.Destination).ToHashSet();
                var clashes = upserts.Where(r => foreign.Contains(r.Destination)).ToList();
                foreach (var route in clashes)
                {
                    if (_reportedForeign.Add(route.Destination))
                        LogForeignRoute(_logger, route.ToString());
                }

                // Said once while it lasts: a clash that went away is forgotten, and said again if it comes back.
                _reportedForeign.IntersectWith(clashes.Select(r => r.Destination));

                upserts = [.. upserts.Where(r => !foreign.Contains(r.Destination))];
            }

            // Overlay routes are this node's own work: a failure there fails the apply (and readiness).
            var ownUpserts = upserts.Where(r => r.Gateway is null || overlayDestinations.Contains(r.Destination)).ToList();
            _kernel.ApplyRoutes(deletes, ownUpserts);
            foreach (var route in deletes)
                LogRouteRemoved(_logger, route.ToString());
            foreach (var route in ownUpserts)
                LogRouteProgrammed(_logger, route.ToString());
            var refused = ApplyLearned(_kernel, _logger, upserts.Where(r => r.Gateway is not null && !overlayDestinations.Contains(r.Destination)).ToList());
            // A refused replace leaves the route it was to replace (one through a gateway that reached the next hop before).
            var kept = own.Except(deletes).Where(r => r.Gateway is not null).DistinctBy(r => r.Destination).ToDictionary(r => r.Destination);
            _refused = [.. refused.Select(r => r with
            {
                NextHopUnresolved = unresolved.Contains(r.Route.Destination),
                Kept = kept.GetValueOrDefault(r.Route.Destination),
            })];

            _failures = 0;
            Publish(workloadRoutes, null);
            return true;
        }
        catch (Exception e) when (e is Tabby.Linux.Netlink.NetlinkException or IOException or SysctlException or Tabby.Linux.Netns.NamespaceException)
        {
            _failures++;
            _metrics.ApplyErrors.Inc();
            LogApplyFailed(_logger, _failures, e.Message);
            Publish(null, e.Message);
            return false;
        }
        finally
        {
            _metrics.ApplySeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The learned routes to program: the speaker's, plus what a previous agent left while BGP converges.</summary>
    private IReadOnlyList<Route> Learned()
    {
        var learned = _routing?.LearnedRoutes() ?? [];
        if (_retained is null)
        {
            // The first apply: remember what the previous agent learned before anything is changed.
            _retained = _routing is null ? [] : _kernel.ListOwnRoutes().Where(r => r.Gateway is not null).DistinctBy(r => r.Destination).ToDictionary(r => r.Destination);
            _retainUntil = _time.GetUtcNow() + _options.LearnedRouteRetention;
            if (_retained.Count > 0)
                LogRetaining(_logger, _retained.Count, _options.LearnedRouteRetention.TotalSeconds);
        }

        if (_retained.Count == 0)
            return learned;
        if (_routing is { Converged: true } || _time.GetUtcNow() >= _retainUntil)
        {
            var announced = learned.Select(l => l.Destination).ToHashSet();
            LogRetentionOver(_logger, _retained.Keys.Count(d => !announced.Contains(d)));
            _retained.Clear();
            return learned;
        }

        var merged = learned.ToDictionary(r => r.Destination);
        foreach (var (destination, route) in _retained)
            merged.TryAdd(destination, route);
        return [.. merged.Values];
    }

    /// <summary>Hands learned routes to the kernel each on its own merit; logs as programmed only what it took, and each
    /// refusal with the kernel's words. Returns the refused.</summary>
    internal static IReadOnlyList<RefusedRoute> ApplyLearned(IKernel kernel, ILogger logger, IReadOnlyList<Route> routes)
    {
        if (routes.Count == 0)
            return [];
        IReadOnlyList<(Route Route, Tabby.Linux.Netlink.NetlinkException Error)> refused;
        try
        {
            refused = kernel.ReplaceRoutes(routes);
        }
        catch (Tabby.Linux.Netlink.NetlinkException e)
        {
            // The batch itself failed (the socket, not a route): nothing is known to be in.
            LogLearnedRoutesFailed(logger, routes.Count, e.Message);
            return [.. routes.Select(r => new RefusedRoute(r, e.Message))];
        }

        var byDestination = refused.ToDictionary(f => f.Route.Destination, f => f.Error);
        foreach (var route in routes)
        {
            if (byDestination.TryGetValue(route.Destination, out var error))
                LogLearnedRouteRefused(logger, route.ToString(), error.Reason);
            else
                LogRouteProgrammed(logger, route.ToString());
        }

        return [.. refused.Select(f => new RefusedRoute(f.Route, f.Error.Reason))];
    }

    private void Merge(DataplaneBatch batch)
    {
        if (batch.Routing is { } plan)
            _pendingPlan = plan;
        if (batch.Overlay is { } overlay)
        {
            _overlay = overlay;
            LogOverlayPlan(_logger, overlay.Vtep?.ToString() ?? (overlay.VxlanWanted ? "wanted, waiting for this node's tunnel address" : "none"), overlay.Remotes.Count, overlay.Routes.Count);
        }

        foreach (var endpoint in batch.EndpointUpserts)
        {
            _endpoints.Upsert(endpoint);
            LogEndpointUpdated(_logger, endpoint.Id.ToString(), endpoint.InterfaceName, string.Join(",", endpoint.Addresses));
        }

        foreach (var block in batch.BlockUpserts)
        {
            _routes.AddBlock(block);
            LogBlockOwned(_logger, block.ToString());
        }

        foreach (var id in batch.EndpointRemoves)
        {
            _endpoints.Remove(id);
            LogEndpointRemoved(_logger, id.ToString());
        }

        foreach (var block in batch.BlockRemoves)
        {
            _routes.RemoveBlock(block);
            LogBlockReleased(_logger, block.ToString());
        }

        if (batch.InSync && !_inSync)
        {
            _inSync = true;
            LogInSync(_logger, _endpoints.Endpoints.Count, _routes.Blocks.Count);
        }
    }

    private void EnsureGlobalSettings()
    {
        // A host must route; IPv6 forwarding only once an IPv6 workload needs it, since it stops the host
        // itself from taking router advertisements.
        var settings = new List<SysctlSetting>();
        if (!_ipv4Forwarding)
            settings.Add(Sysctl.IpForward(true));
        var wantV6 = !_ipv6Forwarding && _endpoints.Endpoints.Any(e => e.Addresses.Any(a => a.IsIPv6));
        if (wantV6)
            settings.Add(Sysctl.Ipv6Forwarding(true));
        if (settings.Count == 0)
            return;
        var failed = _kernel.WriteSysctls(settings);
        if (failed.Count > 0)
            throw new IOException($"{failed[0].Setting}: {failed[0].Error.Message}", failed[0].Error);
        _ipv4Forwarding = true;
        _ipv6Forwarding |= wantV6;
    }

    private void Publish(List<Route>? workloadRoutes, string? error)
    {
        var previous = _snapshot;
        var endpoints = _endpoints.Endpoints.ToList();
        _snapshot = new DataplaneSnapshot
        {
            Endpoints = endpoints,
            ProgrammedInterfaces = workloadRoutes is null ? previous.ProgrammedInterfaces : [.. workloadRoutes.Select(r => r.InterfaceIndex)],
            WorkloadRoutes = workloadRoutes ?? previous.WorkloadRoutes,
            Blocks = [.. _routes.Blocks],
            LearnedRoutes = _routing?.LearnedRoutes() ?? [],
            RefusedRoutes = error is null ? _refused : previous.RefusedRoutes,
            Overlay = _overlay,
            VxlanDevice = _vxlan.DeviceIndex == 0 ? null : $"{VxlanManager.DeviceName} (index {_vxlan.DeviceIndex}, mtu {_vxlan.DeviceMtu})",
            OverlayProblem = _overlayProblem,
            LastApply = error is null ? _time.GetUtcNow() : previous.LastApply,
            LastError = error,
            Programmed = error is null ? _endpoints.Programmed : previous.Programmed,
        };
        _metrics.Endpoints.WithLabels("known").Set(endpoints.Count);
        _metrics.Endpoints.WithLabels("programmed").Set(_snapshot.Programmed);
        _metrics.Routes.WithLabels("workload").Set(_snapshot.WorkloadRoutes.Count);
        _metrics.Routes.WithLabels("blackhole").Set(_snapshot.Blocks.Count);
        // What the kernel refused is wanted but not in the FIB.
        _metrics.Routes.WithLabels("learned").Set(Math.Max(0, _routes.LearnedRoutes - _snapshot.RefusedRoutes.Count));
    }

    private static string? InterfaceOf(SysctlSetting setting)
    {
        // net/ipv4/conf/<if>/..., net/ipv4/neigh/<if>/..., net/ipv6/conf/<if>/...
        var parts = setting.Key.Split('/');
        return parts.Length == 5 && parts[3] is not ("all" or "default") ? parts[3] : null;
    }

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "overlay: {Change}")]
    private static partial void LogOverlayChange(ILogger logger, string change);

    [LoggerMessage(EventId = 114, Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogOverlayProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "the overlay problem is gone (no pool asks for what this node cannot do, and the VTEP applies)")]
    private static partial void LogOverlayProblemGone(ILogger logger);

    [LoggerMessage(EventId = 116, Level = LogLevel.Information, Message = "overlay plan: VTEP {Vtep}, {Remotes} remote VTEPs, {Routes} overlay routes")]
    private static partial void LogOverlayPlan(ILogger logger, string vtep, int remotes, int routes);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "keeping {Count} routes a previous agent learned until BGP has re-learned the table (at most {Seconds} s)")]
    private static partial void LogRetaining(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "BGP has re-learned the table; {Stale} routes nobody announces any more are removed")]
    private static partial void LogRetentionOver(ILogger logger, int stale);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "not programming {Route}: another owner's route holds that destination")]
    private static partial void LogForeignRoute(ILogger logger, string route);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "learned route {Route} not programmed, the kernel refused it: {Reason}")]
    private static partial void LogLearnedRouteRefused(ILogger logger, string route, string reason);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "{Count} learned routes not programmed: {Reason}")]
    private static partial void LogLearnedRoutesFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "dataplane in sync: {Endpoints} local endpoints, {Blocks} blocks; programming the kernel from now on")]
    private static partial void LogInSync(ILogger logger, int endpoints, int blocks);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "endpoint {Endpoint} on {Interface} with {Addresses}")]
    private static partial void LogEndpointUpdated(ILogger logger, string endpoint, string @interface, string addresses);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "endpoint {Endpoint} removed")]
    private static partial void LogEndpointRemoved(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "block {Block} is this node's")]
    private static partial void LogBlockOwned(ILogger logger, string block);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "block {Block} is no longer this node's")]
    private static partial void LogBlockReleased(ILogger logger, string block);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "route programmed: {Route}")]
    private static partial void LogRouteProgrammed(ILogger logger, string route);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "route removed: {Route}")]
    private static partial void LogRouteRemoved(ILogger logger, string route);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "sysctl {Setting} not applied: {Reason}")]
    private static partial void LogSysctlFailed(ILogger logger, string setting, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "dataplane apply failed ({Failures} in a row), retrying: {Reason}")]
    private static partial void LogApplyFailed(ILogger logger, int failures, string reason);

    [LoggerMessage(EventId = 119, Level = LogLevel.Error, Message = "BGP could not be set up as the datastore says ({Failures} in a row), retrying: {Reason}")]
    private static partial void LogRoutingFailed(ILogger logger, int failures, string reason);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "MTU for new workloads: {Mtu} ({File})")]
    private static partial void LogWorkloadMtu(ILogger logger, string mtu, string file);

    [LoggerMessage(EventId = 118, Level = LogLevel.Warning, Message = "could not write the MTU for new workloads to {File}: {Reason}")]
    private static partial void LogWorkloadMtuFailed(ILogger logger, string file, string reason);
}
