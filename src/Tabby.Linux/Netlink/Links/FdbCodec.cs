using System.Net;
using System.Runtime.InteropServices;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Neighbours;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Links;

/// <summary>Encodes and decodes bridge forwarding-database entries: RTM_NEWNEIGH/RTM_DELNEIGH in family AF_BRIDGE.</summary>
/// <remarks>
/// NTF_SELF addresses the device's own table (a VXLAN device's list of remote VTEPs) rather than the bridge it may be
/// enslaved to; NDA_DST is the remote VTEP's underlay address the MAC is reached through.
/// </remarks>
internal static class FdbCodec
{
    public static void Write(NetlinkWriter writer, ushort type, ushort flags, FdbEntry entry, uint sequence)
    {
        writer.BeginMessage(type, flags, sequence);
        var header = writer.Reserve(NeighbourAttributes.NdMsgSize);
        header[0] = AddressFamilies.Bridge;
        MemoryMarshal.Write(header[4..], entry.InterfaceIndex);
        MemoryMarshal.Write(header[8..], (ushort)(entry.Permanent ? NeighbourState.Permanent : NeighbourState.Reachable));
        header[10] = NeighbourAttributes.FlagSelf;
        LinkCodec.WriteMac(writer, NeighbourAttributes.LinkLayerAddress, entry.Mac);
        if (entry.Destination is { } destination)
            writer.AttributeAddress(NeighbourAttributes.Dst, destination);
        writer.EndMessage();
    }

    public static void WriteDumpRequest(NetlinkWriter writer, int interfaceIndex, uint sequence)
    {
        writer.BeginMessage(MessageTypes.GetNeigh, MessageFlags.Request | MessageFlags.Dump, sequence);
        var header = writer.Reserve(NeighbourAttributes.NdMsgSize);
        header[0] = AddressFamilies.Bridge;
        MemoryMarshal.Write(header[4..], interfaceIndex);
        writer.EndMessage();
    }

    public static bool TryParse(NetlinkMessage message, out FdbEntry entry)
    {
        entry = null!;
        var payload = message.Payload;
        if (payload.Length < NeighbourAttributes.NdMsgSize || payload[0] != AddressFamilies.Bridge)
            return false;
        var index = MemoryMarshal.Read<int>(payload[4..]);
        var state = (NeighbourState)MemoryMarshal.Read<ushort>(payload[8..]);
        MacAddress? mac = null;
        IPAddress? destination = null;
        var attributes = new AttributeReader(payload[NeighbourAttributes.NdMsgSize..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == NeighbourAttributes.LinkLayerAddress && value.Length == 6)
                mac = MacAddress.FromBytes(value);
            else if (type == NeighbourAttributes.Dst)
                destination = AttributeReader.Address(value);
        }

        if (mac is null)
            return false;
        entry = new FdbEntry(index, mac.Value, destination) { Permanent = (state & NeighbourState.Permanent) != 0 };
        return true;
    }
}
