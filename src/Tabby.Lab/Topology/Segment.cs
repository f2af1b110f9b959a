using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Topology;

/// <summary>Routers on one layer-2 segment: a bridge in a "fabric" namespace and one namespace per router, for BGP peering tests.</summary>
public sealed class Segment
{
    private Segment(NetworkNamespace fabric, IReadOnlyList<SegmentMember> members)
    {
        Fabric = fabric;
        Members = members;
    }

    public NetworkNamespace Fabric { get; }
    public IReadOnlyList<SegmentMember> Members { get; }

    /// <summary>Builds <paramref name="count"/> namespaces "r0".."rN" with eth0 = 10.0.0.(i+1)/24 and fd00::(i+1)/64, and lo up.</summary>
    public static Segment Build(NamespaceSet namespaces, int count, string prefix = "r")
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var fabric = namespaces.Create(prefix + "fabric");
        using var fabricLinks = RtNetlinkClient.Open(fabric);
        fabricLinks.Links.SetUp(fabricLinks.Links.GetRequired("lo").Index, true);
        var bridge = fabricLinks.Links.CreateBridge("br0");
        var members = new List<SegmentMember>();
        for (var i = 0; i < count; i++)
        {
            var ns = namespaces.Create(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var port = fabricLinks.Links.CreateVeth(new VethSpec($"{prefix}p{i}", "eth0") { PeerNamespace = ns });
            fabricLinks.Links.SetMaster(port.Index, bridge.Index);
            using var netlink = RtNetlinkClient.Open(ns);
            netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);
            var eth0 = netlink.Links.GetRequired("eth0");
            netlink.Links.SetUp(eth0.Index, true);
            var v4 = IPAddress.Parse($"10.0.{(i + 1) / 256}.{(i + 1) % 256}");
            var v6 = IPAddress.Parse($"fd00::{i + 1:x}");
            netlink.Addresses.Add(new InterfaceAddress(eth0.Index, v4, 16));
            // nodad: the address is usable at once, so BGP over IPv6 need not wait out duplicate detection.
            netlink.Addresses.Add(new InterfaceAddress(eth0.Index, v6, 64) { Flags = 0x02 });
            members.Add(new SegmentMember(ns, v4, v6));
        }
        return new Segment(fabric, members);
    }
}
