using System.Runtime.InteropServices;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Addresses;

/// <summary>Encodes RTM_NEWADDR/RTM_DELADDR and decodes address dumps and events.</summary>
internal static class AddressCodec
{
    public static void Write(NetlinkWriter writer, ushort type, ushort flags, InterfaceAddress address, uint sequence)
    {
        var max = address.IsIPv6 ? 128 : 32;
        if ((uint)address.PrefixLength > (uint)max)
            throw new ArgumentOutOfRangeException(nameof(address), address.PrefixLength, $"A prefix length is 0-{max}.");
        writer.BeginMessage(type, flags, sequence);
        var header = writer.Reserve(AddressAttributes.IfAddrMsgSize);
        header[0] = address.IsIPv6 ? AddressFamilies.Inet6 : AddressFamilies.Inet;
        header[1] = (byte)address.PrefixLength;
        header[2] = (byte)address.Flags;
        header[3] = address.Scope;
        MemoryMarshal.Write(header[4..], address.InterfaceIndex);
        writer.AttributeAddress(AddressAttributes.Local, address.Address);
        writer.AttributeAddress(AddressAttributes.Address, address.Address);
        if (address.Label is not null)
            writer.AttributeString(AddressAttributes.Label, address.Label);
        if (address.Flags > 0xFF)
            writer.AttributeU32(AddressAttributes.Flags, address.Flags);
        writer.EndMessage();
    }

    public static bool TryParse(NetlinkMessage message, out InterfaceAddress address)
    {
        address = null!;
        var payload = message.Payload;
        if (payload.Length < AddressAttributes.IfAddrMsgSize || payload[0] is not (AddressFamilies.Inet or AddressFamilies.Inet6))
            return false;
        System.Net.IPAddress? local = null, peer = null;
        string? label = null;
        uint flags = payload[2];
        var attributes = new AttributeReader(payload[AddressAttributes.IfAddrMsgSize..]);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case AddressAttributes.Local:
                    local = AttributeReader.Address(value);
                    break;
                case AddressAttributes.Address:
                    peer = AttributeReader.Address(value);
                    break;
                case AddressAttributes.Label:
                    label = AttributeReader.String(value);
                    break;
                case AddressAttributes.Flags:
                    flags = AttributeReader.U32(value);
                    break;
            }
        }
        // IPv6 addresses carry only IFA_ADDRESS; IPv4 ones carry IFA_LOCAL (the address) as well.
        var own = local ?? peer;
        if (own is null)
            return false;
        address = new InterfaceAddress(MemoryMarshal.Read<int>(payload[4..]), own, payload[1]) { Scope = payload[3], Label = label, Flags = flags };
        return true;
    }
}
