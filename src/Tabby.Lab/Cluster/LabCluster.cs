using System.Net;
using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Cluster;

/// <summary>A running lab: hosts on an underlay, one real agent per host, a datastore, and workloads made by the CNI plugin.</summary>
/// <remarks>Disposing it stops every process it started (by pid) and removes every namespace and file it made.</remarks>
public sealed class LabCluster : IAsyncDisposable
{
    private readonly List<ClusterHost> _hosts = [];
    private readonly List<ClusterWorkload> _workloads = [];
    private readonly Lock _lock = new();
    private readonly List<IBgpDaemon> _routers = [];

    private LabCluster(ClusterSpec spec, NamespaceSet namespaces, string workDirectory, CniPlugin cni)
    {
        Spec = spec;
        Namespaces = namespaces;
        WorkDirectory = workDirectory;
        Cni = cni;
    }

    public ClusterSpec Spec { get; }

    public NamespaceSet Namespaces { get; }

    public LabNetwork? Underlay { get; private set; }

    /// <summary>The leaf-and-spine underlay of a <see cref="ClusterTopology.Tor"/> lab, else null.</summary>
    public TorFabric? Fabric { get; private set; }

    /// <summary>The top-of-rack and spine routers' daemons (empty unless <see cref="ClusterTopology.Tor"/>).</summary>
    public IReadOnlyList<IBgpDaemon> Routers => _routers;

    public string WorkDirectory { get; }

    public CniPlugin Cni { get; }

    public EtcdServerProcess? Etcd { get; private set; }

    /// <summary>The datastore connection string every agent and the plugin use.</summary>
    public string Datastore { get; private set; } = "";

    public IReadOnlyList<ClusterHost> Hosts => _hosts;

    public IReadOnlyList<ClusterWorkload> Workloads
    {
        get
        {
            lock (_lock)
                return [.. _workloads];
        }
    }

    public ClusterHost Host(string name) => _hosts.Single(h => h.Name == name);

    /// <summary>Builds everything and waits until every agent is ready and every workload is programmed; undoes it all on failure.</summary>
    public static async Task<LabCluster> StartAsync(ClusterSpec spec, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var cni = CniPlugin.Published();
        var namespaces = new NamespaceSet(spec.Purpose);
        var work = Directory.CreateTempSubdirectory("tabby-lab-").FullName;
        // FRR's daemons run as user frr and must reach their state directories below this one.
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        var cluster = new LabCluster(spec, namespaces, work, cni);
        try
        {
            await cluster.BuildAsync(progress ?? (_ => { }), cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the lab's datastore (the caller disposes it); an etcd lab's is dialled inside the fabric namespace, where it lives.</summary>
    public IDatastore OpenDatastore() => DatastoreConnectionString.Open(Datastore, Etcd?.Namespace is { } ns
        ? new Tabby.Datastore.Etcd.EtcdOptions { SocketFactory = Tabby.Linux.Netns.NamespaceSockets.TcpFactory(ns) }
        : null);

    /// <summary>Creates a workload on <paramref name="host"/> through the CNI plugin, as a runtime would.</summary>
    public async Task<ClusterWorkload> AddWorkloadAsync(ClusterHost host, string name, string? address = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var ns = Namespaces.Create(name);
        var containerId = Namespaces.Prefix + name;
        var config = CniPlugin.NetworkConfig(Spec.Network, Datastore, host.Name, mtuFile: host.Agent.MtuFile);
        var outcome = await Cni.RunAsync("ADD", host.Namespace, containerId, ns.Path, config,
            cniArgs: address is null ? null : $"IgnoreUnknown=1;IP={address}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
            throw new DaemonException($"CNI ADD of {name} on {host.Name} failed: {outcome.Error}");
        var assigned = outcome.Addresses.Select(a => IpPrefix.Parse(a[..a.IndexOf('/', StringComparison.Ordinal)] + (a.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"))).First(a => !a.IsIPv6);
        var workload = new ClusterWorkload(name, containerId, ns, assigned.Address, host, outcome.Elapsed) { AddPeakRssMb = outcome.PeakRssMb };
        lock (_lock)
            _workloads.Add(workload);
        return workload;
    }

    /// <summary>Deletes a workload through the CNI plugin and removes its namespace.</summary>
    public async Task<CniOutcome> RemoveWorkloadAsync(ClusterWorkload workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var config = CniPlugin.NetworkConfig(Spec.Network, Datastore, workload.Host.Name);
        var outcome = await Cni.RunAsync("DEL", workload.Host.Namespace, workload.ContainerId, workload.Namespace.Path, config, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
            throw new DaemonException($"CNI DEL of {workload.Name} failed: {outcome.Error}");
        lock (_lock)
            _workloads.Remove(workload);
        workload.Namespace.Dispose();
        Tabby.Linux.Netns.NetworkNamespace.Delete(workload.Namespace.Name!);
        return outcome;
    }

    /// <summary>Waits until the workload's host agent reports its endpoint programmed.</summary>
    public async Task WaitProgrammedAsync(ClusterWorkload workload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var deadline = DateTime.UtcNow + timeout;
        var wanted = $"{workload.Address}/32";
        while (true)
        {
            var status = await workload.Host.Agent.StatusAsync(cancellationToken).ConfigureAwait(false);
            if (status.Endpoints.Any(e => e.Programmed && e.Addresses.Contains(wanted)))
                return;
            if (DateTime.UtcNow > deadline)
                throw new DaemonException($"{workload.Name} ({wanted}) not programmed on {workload.Host.Name} after {timeout.TotalSeconds:0} s: {workload.Host.Agent.Tail(10)}");
            // The poll interval of a condition wait.
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a new agent for a host whose agent was stopped or killed, and waits until it is ready.</summary>
    public async Task RestartAgentAsync(ClusterHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.Agent.HasExited)
            throw new InvalidOperationException($"the agent of {host.Name} (pid {host.Agent.Pid}) is still running");
        await host.Agent.DisposeAsync().ConfigureAwait(false);
        host.Agent = StartAgent(host.Underlay);
        await host.Agent.WaitReadyAsync(Spec.ReadyTimeout).ConfigureAwait(false);
    }

    private AgentProcess StartAgent(LabHost underlay) => AgentProcess.Start(new AgentSpec
    {
        NodeName = underlay.Name,
        Namespace = underlay.Namespace.Name!,
        Datastore = Datastore,
        WorkDirectory = WorkDirectory,
        IPv4 = $"{underlay.Address}/24",
        ResyncInterval = Spec.ResyncInterval,
        BgpHoldTime = Spec.BgpHoldTime,
    });

    /// <summary>What `tabby lab ping|exec|down` need to find the lab again, as JSON.</summary>
    public string DescribeJson(int supervisorPid) => JsonSerializer.Serialize(new ClusterState
    {
        SupervisorPid = supervisorPid,
        Prefix = Namespaces.Prefix,
        WorkDirectory = WorkDirectory,
        Datastore = Datastore,
        Hosts = [.. _hosts.Select(h => new ClusterState.HostState(h.Name, h.Namespace, h.Address.ToString(), h.Agent.Pid, h.Agent.ControlSocket))],
        Workloads = [.. Workloads.Select(w => new ClusterState.WorkloadState(w.Name, w.Namespace.Name!, w.Address.ToString(), w.Host.Name))],
    }, ClusterStateJson.Default.ClusterState);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Select(h => h.Agent.StopAsync(TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        foreach (var host in _hosts)
            await host.Agent.DisposeAsync().ConfigureAwait(false);
        foreach (var router in _routers)
            router.Dispose();
        if (Etcd is not null)
            await Etcd.DisposeAsync().ConfigureAwait(false);
        Underlay?.Dispose();
        Fabric?.Dispose();
        Namespaces.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process that is gone a moment later; the temp directory is harmless.
        }
    }

    private async Task BuildAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var hostCount = Spec.Addresses?.Count ?? Spec.Hosts;
        if (hostCount is < 1 or > 200)
            throw new ArgumentException($"a lab has 1 to 200 hosts, not {hostCount}");
        IReadOnlyList<LabHost> underlayHosts;
        NetworkNamespace datastoreNamespace;
        IPAddress datastoreAddress;
        if (Spec.Topology == ClusterTopology.Tor)
        {
            if (hostCount % Spec.Racks != 0)
                throw new ArgumentException($"{hostCount} hosts do not split evenly into {Spec.Racks} racks");
            progress($"building {Spec.Racks} racks of {hostCount / Spec.Racks} hosts behind top-of-rack routers and a spine, in namespaces {Namespaces.Prefix}*");
            Fabric = TorFabric.Build(Namespaces, Spec.Racks, hostCount / Spec.Racks);
            underlayHosts = Fabric.Hosts;
            (datastoreNamespace, datastoreAddress) = (Fabric.Spine, Fabric.Racks[0].SpineSide);
        }
        else
        {
            progress($"building {hostCount} hosts on 192.168.0.0/24 in namespaces {Namespaces.Prefix}*");
            var hostSpecs = Enumerable.Range(0, hostCount)
                .Select(i => new LabHostSpec($"host{i}", HostAddress(i), IpPrefix.Parse("0.0.0.0/32"), []))
                .ToList();
            Underlay = LabNetwork.Build(new LabSpec(hostSpecs), Namespaces);
            underlayHosts = Underlay.Hosts;
            (datastoreNamespace, datastoreAddress) = (Underlay.Fabric, Underlay.Spec.FabricAddress);
        }

        if (Spec.Datastore == ClusterDatastore.Etcd)
        {
            // On the underlay, in a namespace of its own, as a cluster's datastore is reached: over the network.
            progress($"starting etcd on {datastoreAddress} ({datastoreNamespace.Name})");
            Etcd = await EtcdServerProcess.StartInNamespaceAsync(datastoreNamespace, datastoreAddress, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
            Datastore = "etcd:" + Etcd.ClientUrl.ToString().TrimEnd('/');
        }
        else
        {
            Datastore = "sqlite:" + Path.Combine(WorkDirectory, "tabby.db");
        }

        await using (var store = OpenDatastore())
        {
            var pool = new IPPool { Metadata = { Name = "lab-pool" }, Spec = new IPPoolSpec { Cidr = Spec.Pool, BlockSize = Spec.BlockSize, VxlanMode = Spec.VxlanMode, DisableBgpExport = Spec.PoolDisableBgpExport } };
            Api.Validation.ResourceDefaults.Apply(pool);
            var resources = new ResourceClient(store);
            await resources.CreateAsync(pool, cancellationToken).ConfigureAwait(false);
            await TopologyResources.WriteAsync(resources, Spec, underlayHosts, Fabric, cancellationToken).ConfigureAwait(false);
        }

        if (Fabric is not null)
        {
            progress($"starting {Spec.Racks} top-of-rack routers and a spine ({Spec.Router}, {Spec.Design})");
            _routers.AddRange(TorRouters.Start(Fabric, Spec, underlayHosts, WorkDirectory));
        }

        progress($"starting {hostCount} agents (tabby node run) on {Datastore}");
        foreach (var underlay in underlayHosts)
        {
            _hosts.Add(new ClusterHost(underlay.Name, underlay.Address, underlay) { Agent = StartAgent(underlay) });
        }

        await Task.WhenAll(_hosts.Select(h => h.Agent.WaitReadyAsync(Spec.ReadyTimeout))).ConfigureAwait(false);

        progress($"{hostCount} agents ready");

        var total = 0;
        async Task AddWorkloadsOfAsync(int i)
        {
            var addresses = Spec.Addresses?[i];
            var count = addresses?.Count ?? Spec.WorkloadsPerHost;
            for (var w = 0; w < count; w++)
            {
                var workload = await AddWorkloadAsync(_hosts[i], $"{_hosts[i].Name}-w{w}", addresses?[w], cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref total);
                progress($"workload {workload.Name} on {workload.Host.Name}: {workload.Address} (CNI ADD {workload.AddTime.TotalMilliseconds:0} ms)");
            }
        }

        if (Spec.AddWorkloadsConcurrently)
        {
            await Task.WhenAll(Enumerable.Range(0, _hosts.Count).Select(AddWorkloadsOfAsync)).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < _hosts.Count; i++)
                await AddWorkloadsOfAsync(i).ConfigureAwait(false);
        }

        foreach (var workload in Workloads)
            await WaitProgrammedAsync(workload, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        progress($"lab up: {hostCount} hosts, {total} workloads, every endpoint programmed");
    }

    private static IPAddress HostAddress(int index) => new([192, 168, 0, (byte)(2 + index)]);
}
