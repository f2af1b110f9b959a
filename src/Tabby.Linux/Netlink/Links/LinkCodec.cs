using System.Runtime.InteropServices;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Links;

/// <summary>Encodes link requests (ifinfomsg + IFLA_*) and decodes RTM_NEWLINK replies and events.</summary>
internal static class LinkCodec
{
    public const int IfInfoMsgSize = 16;

    /// <summary>Writes the ifinfomsg header for a request about one link (index 0 for "by name" or "new").</summary>
    public static void WriteHeader(NetlinkWriter writer, int index, uint flags = 0, uint change = 0)
    {
        var header = writer.Reserve(IfInfoMsgSize);
        MemoryMarshal.Write(header[4..], index);
        MemoryMarshal.Write(header[8..], flags);
        MemoryMarshal.Write(header[12..], change);
    }

    public static void WriteMac(NetlinkWriter writer, ushort type, MacAddress mac)
    {
        Span<byte> bytes = stackalloc byte[6];
        mac.WriteBytes(bytes);
        writer.Attribute(type, bytes);
    }

    public static bool TryParse(NetlinkMessage message, out Link link)
    {
        link = null!;
        var payload = message.Payload;
        if (payload.Length < IfInfoMsgSize)
            return false;
        var index = MemoryMarshal.Read<int>(payload[4..]);
        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        string? name = null;
        string? kind = null;
        MacAddress? mac = null;
        int mtu = 0, master = 0, parent = 0;
        int? peerNamespace = null;
        VxlanInfo? vxlan = null;
        var attributes = new AttributeReader(payload[IfInfoMsgSize..]);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case LinkAttributes.IfName:
                    name = AttributeReader.String(value);
                    break;
                case LinkAttributes.Address when value.Length == 6:
                    mac = MacAddress.FromBytes(value);
                    break;
                case LinkAttributes.Mtu:
                    mtu = AttributeReader.I32(value);
                    break;
                case LinkAttributes.Master:
                    master = AttributeReader.I32(value);
                    break;
                case LinkAttributes.Link:
                    parent = AttributeReader.I32(value);
                    break;
                case LinkAttributes.LinkNetNsId:
                    peerNamespace = AttributeReader.I32(value);
                    break;
                case LinkAttributes.LinkInfo:
                    var info = new AttributeReader(value);
                    ReadOnlySpan<byte> data = default;
                    while (info.TryRead(out var infoType, out var infoValue))
                    {
                        if (infoType == LinkAttributes.InfoKind)
                            kind = AttributeReader.String(infoValue);
                        else if (infoType == LinkAttributes.InfoData)
                            data = infoValue;
                    }

                    // The kind comes first in the kernel's replies, but nothing promises it: decide once both are read.
                    if (kind == VxlanCodec.Kind && !data.IsEmpty)
                        vxlan = VxlanCodec.Parse(data);
                    break;
            }
        }
        if (name is null)
            return false;
        link = new Link
        {
            Index = index,
            Name = name,
            Kind = kind,
            Mac = mac,
            Mtu = mtu,
            IsUp = (flags & LinkAttributes.FlagUp) != 0,
            HasCarrier = (flags & LinkAttributes.FlagLowerUp) != 0,
            MasterIndex = master,
            ParentIndex = parent,
            PeerNamespaceId = peerNamespace,
            Vxlan = vxlan,
        };
        return true;
    }
}
