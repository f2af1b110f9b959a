using System.Diagnostics;
using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Node;

/// <summary>One lab host (namespace with an uplink and a default route), a SQLite datastore, and a real agent for it.</summary>
internal sealed class AgentBed : IAsyncDisposable
{
    private readonly List<AgentProcess> _agents = [];

    private AgentBed(NamespaceSet namespaces, LabNetwork lab, string work, IDatastore store)
    {
        Namespaces = namespaces;
        Lab = lab;
        WorkDirectory = work;
        Store = store;
        Resources = new ResourceClient(store);
    }

    public NamespaceSet Namespaces { get; }

    public LabNetwork Lab { get; }

    public LabHost Host => Lab.Hosts[0];

    public string WorkDirectory { get; }

    public IDatastore Store { get; }

    public ResourceClient Resources { get; }

    public string Datastore => Store.Endpoint;

    public AgentProcess? Agent => _agents.LastOrDefault();

    public static AgentBed Create(string purpose, IDatastore? store = null)
    {
        var namespaces = new NamespaceSet(purpose);
        try
        {
            var spec = new LabSpec([new LabHostSpec("host0", IPAddress.Parse("192.168.0.2"), IpPrefix.Parse("10.20.1.0/24"), [])]);
            var lab = LabNetwork.Build(spec, namespaces);
            var work = Directory.CreateTempSubdirectory("tabby-agent-").FullName;
            store ??= Tabby.Datastore.Sqlite.SqliteDatastore.Open(Path.Combine(work, "tabby.db"));
            return new AgentBed(namespaces, lab, work, store);
        }
        catch
        {
            namespaces.Dispose();
            throw;
        }
    }

    public AgentProcess StartAgent(string? defaultPool = null, TimeSpan? resync = null, params string[] extra)
    {
        var agent = AgentProcess.Start(new AgentSpec
        {
            NodeName = "host0",
            Namespace = Host.Namespace.Name!,
            Datastore = Datastore,
            WorkDirectory = WorkDirectory,
            DefaultPool = defaultPool,
            ResyncInterval = resync ?? TimeSpan.FromSeconds(30),
            ExtraArguments = extra,
        });
        _agents.Add(agent);
        return agent;
    }

    public ManualWorkload Workload(string name, string address) =>
        ManualWorkload.Create(Namespaces, Host, name, IPAddress.Parse(address));

    /// <summary>Writes the WorkloadEndpoint the CNI plugin would write for a workload.</summary>
    public Task EndpointAsync(ManualWorkload workload, string node = "host0") =>
        Resources.CreateAsync(new WorkloadEndpoint
        {
            Metadata = { Name = $"{node}-cni-{workload.Name}-eth0", Namespace = "default" },
            Spec = new WorkloadEndpointSpec
            {
                Node = node, Orchestrator = "cni", Workload = workload.Name, Endpoint = "eth0", ContainerId = workload.Name,
                InterfaceName = workload.HostInterface, IpNetworks = [$"{workload.Address}/32"], Profiles = ["net"],
            },
        });

    public Task DeleteEndpointAsync(ManualWorkload workload, string node = "host0") =>
        Resources.DeleteAsync(new Tabby.Api.Kinds.ResourceKey(Tabby.Api.Kinds.KindRegistry.For<WorkloadEndpoint>(), "default", $"{node}-cni-{workload.Name}-eth0"));

    public List<Route> OwnRoutes() => Host.Netlink.Routes.List(RouteFilter.Tabby);

    /// <summary>Polls a condition until it holds; fails with the agent's log otherwise.</summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}\nagent log:\n{Agent?.Tail()}");
            // The poll interval of a condition wait.
            await Task.Delay(10);
        }
    }

    public string Sysctl(string key) => new Tabby.Linux.Sysctls.Sysctl(Host.Namespace).Read(key);

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
            await agent.DisposeAsync();
        await Store.DisposeAsync();
        Lab.Dispose();
        Namespaces.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
