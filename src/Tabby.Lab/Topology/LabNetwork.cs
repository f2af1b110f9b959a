using System.Net;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Linux.Sysctls;

namespace Tabby.Lab.Topology;

/// <summary>A multi-host network built from namespaces with Tabby.Linux alone: a fabric bridge, host routers, and workloads behind them.</summary>
/// <remarks>
/// Every host is a router and every workload a /32 behind a proxy-ARP veth, exactly the packet walk
/// of docs/architecture.md. Routes between hosts are static here (<see cref="AddStaticRoutes"/>);
/// agents and BGP replace them in a running cluster.
/// </remarks>
public sealed class LabNetwork : IDisposable
{
    /// <summary>The gateway every workload routes to; nothing owns it, the host side answers ARP for it.</summary>
    public static readonly IPAddress WorkloadGateway = IPAddress.Parse("169.254.1.1");

    private const string FabricBridge = "br0";
    private readonly List<LabHost> _hosts = [];

    private LabNetwork(NamespaceSet namespaces, LabSpec spec, NetworkNamespace fabric)
    {
        Namespaces = namespaces;
        Spec = spec;
        Fabric = fabric;
    }

    public NamespaceSet Namespaces { get; }
    public LabSpec Spec { get; }
    public NetworkNamespace Fabric { get; }
    public IReadOnlyList<LabHost> Hosts => _hosts;
    public IEnumerable<LabWorkload> Workloads => _hosts.SelectMany(h => h.Workloads);

    public LabHost Host(string name) => _hosts.Single(h => h.Name == name);
    public LabWorkload Workload(IPAddress address) => Workloads.Single(w => w.Address.Equals(address));

    /// <summary>Builds the whole network in namespaces of <paramref name="namespaces"/>; on failure everything built so far is removed.</summary>
    public static LabNetwork Build(LabSpec spec, NamespaceSet namespaces)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(namespaces);
        LabNetwork? network = null;
        try
        {
            var fabric = namespaces.Create("fabric");
            network = new LabNetwork(namespaces, spec, fabric);
            network.BuildFabric();
            foreach (var host in spec.Hosts)
                network.BuildHost(host);
            return network;
        }
        catch
        {
            network?.Dispose();
            namespaces.Dispose();
            throw;
        }
    }

    /// <summary>Adds, on every host, a route to every other host's block via that host, and a blackhole for its own block.</summary>
    public void AddStaticRoutes()
    {
        foreach (var host in _hosts)
        {
            var routes = new List<Route> { Route.Blackhole(host.Block) };
            routes.AddRange(_hosts.Where(other => other != host).Select(other => Route.Via(other.Block, other.Address)));
            host.Netlink.Routes.AddMany(routes);
        }
    }

    /// <summary>Cuts (or restores) a host's underlay link, as a pulled cable would: its port on the fabric bridge goes down.</summary>
    public void SetUplink(string hostName, bool up)
    {
        using var fabric = RtNetlinkClient.Open(Fabric);
        fabric.Links.SetUp(fabric.Links.GetRequired(Port(Host(hostName).Name)).Index, up);
    }

    private void BuildFabric()
    {
        using var netlink = RtNetlinkClient.Open(Fabric);
        SetLoopbackUp(netlink);
        var bridge = netlink.Links.CreateBridge(FabricBridge);
        netlink.Addresses.Add(new InterfaceAddress(bridge.Index, Spec.FabricAddress, Spec.Underlay.Length));
    }

    private void BuildHost(LabHostSpec spec)
    {
        var ns = Namespaces.Create(spec.Name);
        var host = new LabHost(spec.Name, spec.Address, spec.Block, ns);
        _hosts.Add(host);

        // The host's uplink: eth0 in the host, its peer enslaved to the fabric bridge.
        using (var fabric = RtNetlinkClient.Open(Fabric))
        {
            var port = fabric.Links.CreateVeth(new VethSpec(Port(spec.Name), "eth0") { PeerNamespace = ns });
            fabric.Links.SetMaster(port.Index, fabric.Links.GetRequired(FabricBridge).Index);
        }
        SetLoopbackUp(host.Netlink);
        var eth0 = host.Netlink.Links.GetRequired("eth0");
        host.Netlink.Links.SetUp(eth0.Index, true);
        host.Netlink.Addresses.Add(new InterfaceAddress(eth0.Index, spec.Address, Spec.Underlay.Length));
        host.Netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = Spec.FabricAddress, InterfaceIndex = eth0.Index, Protocol = RouteProtocol.Static });
        new Sysctl(ns).Write(Sysctl.IpForward(true));

        for (var i = 0; i < spec.Workloads.Count; i++)
            host.Add(BuildWorkload(host, $"{spec.Name}-w{i}", spec.Workloads[i]));
    }

    private LabWorkload BuildWorkload(LabHost host, string name, IPAddress address)
    {
        var ns = Namespaces.Create(name);
        var hostSide = InterfaceNames.ForWorkload($"{Namespaces.Prefix}{name}");
        var veth = host.Netlink.Links.CreateVeth(new VethSpec(hostSide, "eth0")
        {
            PeerNamespace = ns,
            Mac = MacAddress.HostSideWorkload,
        });
        new Sysctl(host.Namespace).Write(Sysctl.ProxyArp(hostSide, true), Sysctl.ProxyDelay(hostSide, 0));
        host.Netlink.Routes.Add(Route.ToWorkload(IpPrefix.Host(address), veth.Index));

        using var netlink = RtNetlinkClient.Open(ns);
        SetLoopbackUp(netlink);
        var eth0 = netlink.Links.GetRequired("eth0");
        netlink.Links.SetUp(eth0.Index, true);
        netlink.Addresses.Add(new InterfaceAddress(eth0.Index, address, 32));
        netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0"))
        {
            Gateway = WorkloadGateway,
            InterfaceIndex = eth0.Index,
            OnLink = true,
            Protocol = RouteProtocol.Static,
        });
        return new LabWorkload(name, address, ns, hostSide, host);
    }

    private static string Port(string hostName)
    {
        var name = "p-" + hostName;
        return name.Length <= InterfaceNames.MaxLength ? name : InterfaceNames.ForWorkload(hostName, "p-");
    }

    private static void SetLoopbackUp(RtNetlinkClient netlink) => netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
        _hosts.Clear();
    }
}
