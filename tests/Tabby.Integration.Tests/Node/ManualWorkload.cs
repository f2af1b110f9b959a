using System.Net;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Node;

/// <summary>A workload wired as the CNI plugin wires one (veth, /32, default via 169.254.1.1) but without its host side:
/// that is the agent's job, which these tests check in isolation.</summary>
internal sealed record ManualWorkload(string Name, IPAddress Address, NetworkNamespace Namespace, string HostInterface)
{
    public static ManualWorkload Create(NamespaceSet namespaces, LabHost host, string name, IPAddress address)
    {
        var ns = namespaces.Create(name);
        var hostSide = InterfaceNames.ForWorkload($"{namespaces.Prefix}{name}");
        host.Netlink.Links.CreateVeth(new VethSpec(hostSide, "eth0") { PeerNamespace = ns, Mac = MacAddress.HostSideWorkload });
        using var netlink = RtNetlinkClient.Open(ns);
        netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);
        var eth0 = netlink.Links.GetRequired("eth0");
        netlink.Links.SetUp(eth0.Index, true);
        netlink.Addresses.Add(new InterfaceAddress(eth0.Index, address, 32));
        netlink.Routes.Add(new Route(IpPrefix.Parse("0.0.0.0/0")) { Gateway = LabNetwork.WorkloadGateway, InterfaceIndex = eth0.Index, OnLink = true, Protocol = RouteProtocol.Static });
        return new ManualWorkload(name, address, ns, hostSide);
    }
}
