using System.Net.Sockets;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Links;

/// <summary>Encodes the RTM_NEWLINK that creates a VXLAN device and decodes the VXLAN part (IFLA_INFO_DATA) of link replies.</summary>
internal static class VxlanCodec
{
    public const string Kind = "vxlan";

    /// <summary>An exclusive create: ifinfomsg, IFLA_IFNAME, IFLA_MTU and IFLA_ADDRESS when given, then IFLA_LINKINFO with the kind and the VXLAN data.</summary>
    public static void WriteCreate(NetlinkWriter writer, VxlanSpec spec, uint sequence)
    {
        writer.BeginMessage(MessageTypes.NewLink, MessageFlags.Request | MessageFlags.Create | MessageFlags.Excl, sequence);
        LinkCodec.WriteHeader(writer, 0);
        writer.AttributeString(LinkAttributes.IfName, spec.Name);
        if (spec.Mtu is { } mtu)
            writer.AttributeI32(LinkAttributes.Mtu, mtu);
        if (spec.Mac is { } mac)
            LinkCodec.WriteMac(writer, LinkAttributes.Address, mac);
        var info = writer.BeginNested(LinkAttributes.LinkInfo);
        writer.AttributeString(LinkAttributes.InfoKind, Kind);
        var data = writer.BeginNested(LinkAttributes.InfoData);
        writer.AttributeU32(LinkAttributes.VxlanId, spec.Vni);
        // The port is the one attribute the kernel reads in network byte order.
        writer.AttributeU16BigEndian(LinkAttributes.VxlanPort, spec.Port);
        writer.AttributeU8(LinkAttributes.VxlanLearning, spec.Learning ? (byte)1 : (byte)0);
        if (spec.ParentIndex != 0)
            writer.AttributeI32(LinkAttributes.VxlanLink, spec.ParentIndex);
        if (spec.Local is { } local)
            writer.AttributeAddress(local.AddressFamily == AddressFamily.InterNetworkV6 ? LinkAttributes.VxlanLocal6 : LinkAttributes.VxlanLocal, local);
        writer.EndNested(data);
        writer.EndNested(info);
        writer.EndMessage();
    }

    /// <summary>Reads the nested IFLA_VXLAN_* attributes of a VXLAN device's IFLA_INFO_DATA.</summary>
    public static VxlanInfo Parse(ReadOnlySpan<byte> infoData)
    {
        uint vni = 0;
        ushort port = 0;
        System.Net.IPAddress? local = null;
        var parent = 0;
        var learning = false;
        var attributes = new AttributeReader(infoData);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case LinkAttributes.VxlanId:
                    vni = AttributeReader.U32(value);
                    break;
                case LinkAttributes.VxlanPort:
                    port = AttributeReader.U16BigEndian(value);
                    break;
                case LinkAttributes.VxlanLocal:
                case LinkAttributes.VxlanLocal6:
                    local = AttributeReader.Address(value);
                    break;
                case LinkAttributes.VxlanLink:
                    parent = AttributeReader.I32(value);
                    break;
                case LinkAttributes.VxlanLearning:
                    learning = AttributeReader.U8(value) != 0;
                    break;
            }
        }

        return new VxlanInfo(vni, port, local, parent, learning);
    }
}
