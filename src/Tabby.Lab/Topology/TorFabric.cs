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

/// <summary>A leaf-and-spine underlay: racks of hosts, each rack on its own segment behind a top-of-rack router, the
/// routers joined by a spine. The routers are plain namespaces here; BGP daemons make them route.</summary>
/// <remarks>
/// Rack r: hosts 10.0.r.10, .11, ... on a bridge in the top-of-rack namespace, which is 10.0.r.1 there and
/// 172.16.r.0/31 towards the spine (172.16.r.1). Hosts have a default route via their top-of-rack router,
/// which has one via the spine, so the underlay reaches everything before BGP adds the workloads.
/// </remarks>
public sealed class TorFabric : IDisposable
{
    private readonly List<LabHost> _hosts = [];
    private readonly List<TorRack> _racks = [];

    private TorFabric(NetworkNamespace spine) => Spine = spine;

    public NetworkNamespace Spine { get; }

    public IReadOnlyList<TorRack> Racks => _racks;

    public IReadOnlyList<LabHost> Hosts => _hosts;

    /// <summary>Builds the whole fabric in namespaces of <paramref name="namespaces"/> (the caller's set removes them).</summary>
    public static TorFabric Build(NamespaceSet namespaces, int racks, int hostsPerRack)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        if (racks is < 1 or > 100 || hostsPerRack is < 1 or > 200)
            throw new ArgumentException($"a fabric has 1-100 racks of 1-200 hosts, not {racks} x {hostsPerRack}");
        var fabric = new TorFabric(namespaces.Create("spine"));
        try
        {
            using var spine = RtNetlinkClient.Open(fabric.Spine);
            Up(spine, "lo");
            new Sysctl(fabric.Spine).Write(Sysctl.IpForward(true));
            var hostIndex = 0;
            for (var r = 0; r < racks; r++)
                fabric._racks.Add(fabric.BuildRack(namespaces, spine, r, hostsPerRack, ref hostIndex));
            return fabric;
        }
        catch
        {
            fabric.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
        _hosts.Clear();
    }

    private TorRack BuildRack(NamespaceSet namespaces, RtNetlinkClient spine, int r, int hostsPerRack, ref int hostIndex)
    {
        var ns = namespaces.Create($"tor{r}");
        var gateway = new IPAddress([10, 0, (byte)r, 1]);
        var uplink = new IPAddress([172, 16, (byte)r, 0]);
        var spineSide = new IPAddress([172, 16, (byte)r, 1]);
        using var tor = RtNetlinkClient.Open(ns);
        Up(tor, "lo");
        new Sysctl(ns).Write(Sysctl.IpForward(true));
        var bridge = tor.Links.CreateBridge("br0");
        tor.Addresses.Add(new InterfaceAddress(bridge.Index, gateway, 24));

        // The uplink: "up" in the top-of-rack router, "d<r>" in the spine, a /31 between them.
        tor.Links.CreateVeth(new VethSpec("up", $"d{r}") { PeerNamespace = Spine });
        var up = tor.Links.GetRequired("up");
        tor.Links.SetUp(up.Index, true);
        tor.Addresses.Add(new InterfaceAddress(up.Index, uplink, 31));
        var down = spine.Links.GetRequired($"d{r}");
        spine.Links.SetUp(down.Index, true);
        spine.Addresses.Add(new InterfaceAddress(down.Index, spineSide, 31));
        tor.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = spineSide, InterfaceIndex = up.Index, Protocol = RouteProtocol.Static });

        var hosts = new List<LabHost>();
        for (var i = 0; i < hostsPerRack; i++, hostIndex++)
        {
            var name = $"host{hostIndex}";
            var address = new IPAddress([10, 0, (byte)r, (byte)(10 + i)]);
            var hostNs = namespaces.Create(name);
            var host = new LabHost(name, address, IpPrefix.Parse("0.0.0.0/32"), hostNs);
            _hosts.Add(host);
            hosts.Add(host);
            var port = InterfaceNames.ForWorkload(namespaces.Prefix + name, "p-");
            tor.Links.CreateVeth(new VethSpec(port, "eth0") { PeerNamespace = hostNs });
            tor.Links.SetMaster(tor.Links.GetRequired(port).Index, bridge.Index);
            Up(host.Netlink, "lo");
            var eth0 = host.Netlink.Links.GetRequired("eth0");
            host.Netlink.Links.SetUp(eth0.Index, true);
            host.Netlink.Addresses.Add(new InterfaceAddress(eth0.Index, address, 24));
            host.Netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = gateway, InterfaceIndex = eth0.Index, Protocol = RouteProtocol.Static });
            new Sysctl(hostNs).Write(Sysctl.IpForward(true));
        }

        return new TorRack(r, ns, gateway, IpPrefix.Parse($"10.0.{r}.0/24"), uplink, spineSide, hosts);
    }

    private static void Up(RtNetlinkClient netlink, string name) => netlink.Links.SetUp(netlink.Links.GetRequired(name).Index, true);
}
