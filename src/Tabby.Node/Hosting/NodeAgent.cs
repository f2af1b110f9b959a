using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Syncer;
using Tabby.Ipam.Client;
using Tabby.Ipam.Gc;
using Tabby.Linux.Netlink.Events;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Node.Calc;
using Tabby.Node.Dataplane;
using Tabby.Node.Routing;
using Tabby.Node.Startup;
using Tabby.Node.Status;

namespace Tabby.Node.Hosting;

/// <summary>The per-host agent: registers the node, then keeps the kernel matching the datastore until stopped.</summary>
/// <remarks>
/// On stop it leaves the kernel as it is: routes keep forwarding while the agent is down, and the next
/// start reconciles (sweeping only what went stale) once it is back in sync.
/// </remarks>
public sealed partial class NodeAgent(AgentOptions options, NetworkNamespace ns, IDatastore datastore, AgentMetrics metrics, ILoggerFactory loggers, ILogger<NodeAgent> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private GraphCallbacks? _callbacks;
    private DataplaneDriver? _driver;
    private BgpRouting? _routing;
    private string? _address;
    private readonly System.Threading.Channels.Channel<bool> _tunnelKick = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Namespace is null && !options.HostNetwork)
            throw new InvalidOperationException("refusing to program the namespace the agent was started in: pass --netns NAME, or --host-network on a real host");

        using var kernel = new NamespaceKernel(ns);
        LogStarting(logger, options.NodeName, ns.ToString(), datastore.Endpoint);

        var control = new ControlServer(options.ControlSocket, Report);
        var controlTask = control.RunAsync(stoppingToken);
        var health = options.HealthPort > 0
            ? new HealthServer(options.HealthHost, options.HealthPort, Liveness, Readiness, metrics.Registry, logger).RunAsync(ns, stoppingToken)
            : StoppedAsync(stoppingToken);

        await StartUpAsync(ns, kernel, stoppingToken).ConfigureAwait(false);

        var graph = new CalcGraph(options.NodeName);
        _driver = new DataplaneDriver(kernel, metrics, logger, new DataplaneOptions { ResyncInterval = options.ResyncInterval, MtuFile = options.MtuFile });
        var driver = _driver;
        await using var routing = new BgpRouting(ns, loggers, driver.Kick, options.SecretsDirectory, options.BgpHoldTime)
        {
            // Routes learned by a previous agent still in the FIB mean this start follows a crash or a stop: ask
            // neighbours (graceful restart's R bit) to keep our routes until we have sent them all again.
            Restarting = kernel.ListOwnRoutes().Any(r => r.Gateway is not null),
            WithdrawOnStop = options.WithdrawOnStop,
        };
        _routing = routing;
        _driver.UseRouting(routing);
        _callbacks = new GraphCallbacks(graph, _driver, metrics, logger, () => _tunnelKick.Writer.TryWrite(true));
        await using var syncer = new DatastoreSyncer(datastore, graph.Prefixes, _callbacks, logger: logger);
        using var events = NetlinkEventSubscription.Subscribe(ns, NetlinkEventKinds.Links | NetlinkEventKinds.Routes);
        syncer.Start();

        Task[] tasks =
        [
            _driver.RunAsync(stoppingToken),
            WatchKernelAsync(events, _driver, stoppingToken),
            ReapEmptyBlocksAsync(stoppingToken),
            ReconcileTunnelAddressAsync(stoppingToken),
            UpdateBgpMetricsAsync(stoppingToken),
            controlTask,
            health,
        ];
        // Every task runs until stop; one that ends early has failed, and a half-working agent is worse than none.
        var first = await Task.WhenAny(tasks).ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            var error = first.Exception?.GetBaseException();
            LogTaskFailed(logger, error?.Message ?? "a task ended unexpectedly", error);
            Environment.ExitCode = 1;
            throw error ?? new InvalidOperationException("an agent task ended unexpectedly");
        }

        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        LogStopped(logger, options.NodeName);
    }

    /// <summary>Stands in for a part that is switched off: ends only when the agent stops, like the others.</summary>
    private static async Task StoppedAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task StartUpAsync(NetworkNamespace ns, NamespaceKernel kernel, CancellationToken stop)
    {
        var ipv4 = Address(ns, kernel, options.IPv4, options.AutodetectionMethod, ipv6: false);
        var ipv6 = Address(ns, kernel, options.IPv6, options.AutodetectionMethodV6, ipv6: true);
        _address = ipv4?.ToString() ?? ipv6?.ToString();
        if (ipv4 is not null)
            LogAddress(logger, ipv4.ToString(), ipv4.Interface);
        if (ipv6 is not null)
            LogAddress(logger, ipv6.ToString(), ipv6.Interface);

        var resources = new ResourceClient(datastore);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await NodeRegistrar.RegisterAsync(resources, options.NodeName, ipv4, ipv6, stop).ConfigureAwait(false);
                foreach (var pool in await DefaultPools.EnsureAsync(resources, options.DefaultIPv4Pool, options.DefaultIPv6Pool, options.DefaultPoolBlockSize, stop).ConfigureAwait(false))
                    LogDefaultPool(logger, pool);
                break;
            }
            catch (DatastoreException e)
            {
                // The datastore may come up after the agent; wait for it rather than exit.
                LogDatastoreWait(logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, stop).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }

        if (options.NodenameFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, options.NodeName, stop).ConfigureAwait(false);
        }

        LogRegistered(logger, options.NodeName);
    }

    private static DetectedAddress? Address(NetworkNamespace ns, NamespaceKernel kernel, string setting, string method, bool ipv6)
    {
        if (setting is "none" or "")
            return null;
        if (setting == "autodetect")
            return AddressAutodetector.Detect(ns, kernel.Netlink, method, ipv6);
        var slash = setting.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !System.Net.IPAddress.TryParse(setting[..slash], out var address)
            || !int.TryParse(setting[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != ipv6)
            throw new ArgumentException($"'{setting}' is not an IPv{(ipv6 ? 6 : 4)} address with a prefix length (or autodetect, none)");
        return new DetectedAddress(address, length, "(given)");
    }

    private async Task WatchKernelAsync(NetlinkEventSubscription events, DataplaneDriver driver, CancellationToken stop)
    {
        try
        {
            await foreach (var e in events.ReadAllAsync(stop).ConfigureAwait(false))
            {
                // Workload interfaces coming and going, and our routes changed by someone else, need an apply, and so
                // does any main-table route while a learned next hop is resolved through other routes; lost events
                // mean anything may have changed.
                var relevant = e switch
                {
                    LinkEvent link => link.Link.Name.StartsWith(Tabby.Core.Naming.InterfaceNames.WorkloadPrefix, StringComparison.Ordinal),
                    RouteEvent route => route.Route.Protocol == RouteProtocol.Tabby
                        || (route.Route.Table == RouteTable.Main && driver.FollowsOtherRoutes),
                    EventsLost => true,
                    _ => false,
                };
                if (relevant)
                    driver.Kick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ReapEmptyBlocksAsync(CancellationToken stop)
    {
        var reaper = new EmptyBlockReaper(new IpamClient(datastore), options.NodeName, options.EmptyBlockGrace);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(options.EmptyBlockGrace.TotalSeconds / 5, 1, 60)));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    foreach (var block in await reaper.SweepAsync(stop).ConfigureAwait(false))
                        LogBlockReaped(logger, block.ToString(), options.EmptyBlockGrace.TotalSeconds);
                }
                catch (Exception e) when (e is DatastoreException or Tabby.Ipam.Errors.IpamException)
                {
                    // The next tick tries again; the datastore may be away.
                    LogReapFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Allocates or releases this node's VXLAN tunnel address whenever the overlay plan changes (and once at start).</summary>
    private async Task ReconcileTunnelAddressAsync(CancellationToken stop)
    {
        var allocator = new TunnelAddressAllocator(new ResourceClient(datastore), new IpamClient(datastore), options.NodeName);
        _tunnelKick.Writer.TryWrite(true);
        var delay = TimeSpan.FromMilliseconds(200);
        try
        {
            while (await _tunnelKick.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                _tunnelKick.Reader.TryRead(out _);
                try
                {
                    if (await allocator.ReconcileAsync(stop).ConfigureAwait(false) is { } change)
                        LogTunnelAddress(logger, change);
                    delay = TimeSpan.FromMilliseconds(200);
                }
                catch (Exception e) when (e is DatastoreException or Tabby.Ipam.Errors.IpamException or InvalidOperationException)
                {
                    LogTunnelAddressFailed(logger, e.Message, delay.TotalSeconds);
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                    _tunnelKick.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task UpdateBgpMetricsAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var peers = _routing?.Report() ?? [];
                metrics.BgpPeers.WithLabels("up").Set(peers.Count(p => p.State == "up"));
                metrics.BgpPeers.WithLabels("down").Set(peers.Count(p => p.State != "up"));
                metrics.BgpRoutes.WithLabels("learned").Set(_routing?.LearnedCount ?? 0);
                metrics.BgpRoutes.WithLabels("exported").Set(_routing?.Plan.Exports.Count ?? 0);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private (bool, string) Liveness()
    {
        var driver = _driver;
        if (driver is not null && driver.SinceHeartbeat > TimeSpan.FromSeconds(30))
            return (false, $"the dataplane loop has not turned for {driver.SinceHeartbeat.TotalSeconds:0} s");
        return (true, "live");
    }

    private (bool, string) Readiness()
    {
        if (_callbacks is null || _driver is null)
            return (false, "starting: registering the node");
        if (_callbacks.Status != SyncStatus.InSync)
            return (false, $"datastore: {_callbacks.Status}");
        var snapshot = _driver.Snapshot;
        if (snapshot.LastApply is null)
            return (false, "dataplane: not applied yet");
        if (snapshot.LastError is { } error)
            return (false, $"dataplane: {error}");
        return snapshot.OverlayProblem is { } problem ? (false, $"overlay: {problem}") : (true, "ready");
    }

    private NodeStatusReport Report()
    {
        var snapshot = _driver?.Snapshot ?? DataplaneSnapshot.Empty;
        var programmed = snapshot.WorkloadRoutes.Select(r => r.Destination).ToHashSet();
        var routes = RouteStatus.ListFrom(snapshot);
        return new NodeStatusReport
        {
            Node = options.NodeName,
            Namespace = options.Namespace,
            Address = _address,
            Datastore = datastore.Endpoint,
            SyncState = (_callbacks?.Status ?? SyncStatus.WaitingForDatastore).ToString(),
            Ready = Readiness().Item1,
            StartedAt = _startedAt,
            LastApply = snapshot.LastApply,
            LastError = snapshot.LastError,
            Endpoints = [.. snapshot.Endpoints.OrderBy(e => e.Id.ToString(), StringComparer.Ordinal).Select(e => new EndpointStatus(
                e.Id.ToString(), e.InterfaceName, [.. e.Addresses.Select(a => a.ToString())], e.Addresses.All(programmed.Contains)))],
            Routes = routes,
            Blocks = [.. snapshot.Blocks.Select(b => b.ToString()).Order(StringComparer.Ordinal)],
            Peers = _routing?.Report() ?? [],
            Bgp = _routing?.Plan is { Enabled: false } off ? off.Reason : null,
            RoutesLearned = snapshot.LearnedRoutes.Count,
            RoutesUnresolved = routes.Count(r => r.Kind == RouteStatus.Unresolved),
            RoutesExported = _routing?.Plan.Exports.Count ?? 0,
            Vxlan = snapshot.Overlay.Vtep is { } vtep
                ? $"{snapshot.VxlanDevice ?? "vxlan.calico (not programmed)"}: tunnel {vtep.TunnelAddress} mac {vtep.Mac} local {vtep.Underlay}, {snapshot.Overlay.Remotes.Count} remote VTEPs"
                : snapshot.Overlay.VxlanWanted ? "wanted: waiting for this node's tunnel address" : null,
            OverlayProblem = snapshot.OverlayProblem,
        };
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "node {Node} starting in namespace {Namespace} with datastore {Datastore}")]
    private static partial void LogStarting(ILogger logger, string node, string @namespace, string datastore);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "node address {Address} (on {Interface})")]
    private static partial void LogAddress(ILogger logger, string address, string @interface);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "node {Node} registered")]
    private static partial void LogRegistered(ILogger logger, string node);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "created the default IP pool {Pool} (no pool existed)")]
    private static partial void LogDefaultPool(ILogger logger, string pool);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "datastore not reachable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogDatastoreWait(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "agent task failed, stopping: {Reason}")]
    private static partial void LogTaskFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "node {Node} stopped; the kernel keeps its routes")]
    private static partial void LogStopped(ILogger logger, string node);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "block {Block} stayed empty for {Seconds} s and was given back to its pool")]
    private static partial void LogBlockReaped(ILogger logger, string block, double seconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "tunnel address: {Change}")]
    private static partial void LogTunnelAddress(ILogger logger, string change);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "tunnel address not reconciled ({Reason}); retrying in {Seconds} s")]
    private static partial void LogTunnelAddressFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "empty-block sweep failed: {Reason}")]
    private static partial void LogReapFailed(ILogger logger, string reason);
}
