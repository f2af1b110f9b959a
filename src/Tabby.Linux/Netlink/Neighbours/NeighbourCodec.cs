using System.Runtime.InteropServices;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Neighbours;

/// <summary>Encodes RTM_NEWNEIGH/RTM_DELNEIGH for IP neighbours and decodes neighbour dumps.</summary>
internal static class NeighbourCodec
{
    public static void Write(NetlinkWriter writer, ushort type, ushort flags, Neighbour neighbour, uint sequence)
    {
        writer.BeginMessage(type, flags, sequence);
        var header = writer.Reserve(NeighbourAttributes.NdMsgSize);
        header[0] = neighbour.IsIPv6 ? AddressFamilies.Inet6 : AddressFamilies.Inet;
        MemoryMarshal.Write(header[4..], neighbour.InterfaceIndex);
        MemoryMarshal.Write(header[8..], (ushort)neighbour.State);
        writer.AttributeAddress(NeighbourAttributes.Dst, neighbour.Address);
        if (neighbour.Mac is { } mac)
            LinkCodec.WriteMac(writer, NeighbourAttributes.LinkLayerAddress, mac);
        writer.EndMessage();
    }

    public static bool TryParse(NetlinkMessage message, out Neighbour neighbour)
    {
        neighbour = null!;
        var payload = message.Payload;
        if (payload.Length < NeighbourAttributes.NdMsgSize || payload[0] is not (AddressFamilies.Inet or AddressFamilies.Inet6))
            return false;
        System.Net.IPAddress? address = null;
        MacAddress? mac = null;
        var attributes = new AttributeReader(payload[NeighbourAttributes.NdMsgSize..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == NeighbourAttributes.Dst)
                address = AttributeReader.Address(value);
            else if (type == NeighbourAttributes.LinkLayerAddress && value.Length == 6)
                mac = MacAddress.FromBytes(value);
        }
        if (address is null)
            return false;
        neighbour = new Neighbour(MemoryMarshal.Read<int>(payload[4..]), address, mac) { State = (NeighbourState)MemoryMarshal.Read<ushort>(payload[8..]) };
        return true;
    }
}
