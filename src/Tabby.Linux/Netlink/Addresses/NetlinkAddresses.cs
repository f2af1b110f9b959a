using System.Runtime.InteropServices;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Addresses;

/// <summary>Interface address operations over one rtnetlink socket.</summary>
public sealed class NetlinkAddresses
{
    private readonly NetlinkSocket _socket;

    internal NetlinkAddresses(NetlinkSocket socket) => _socket = socket;

    public void Add(InterfaceAddress address) => _socket.Execute(address,
        static (w, a, s) => AddressCodec.Write(w, MessageTypes.NewAddr, MessageFlags.Request | MessageFlags.Create | MessageFlags.Excl, a, s),
        static a => $"RTM_NEWADDR {a}");

    public void Replace(InterfaceAddress address) => _socket.Execute(address,
        static (w, a, s) => AddressCodec.Write(w, MessageTypes.NewAddr, MessageFlags.Request | MessageFlags.Create | MessageFlags.Replace, a, s),
        static a => $"RTM_NEWADDR replace {a}");

    public void Delete(InterfaceAddress address) => _socket.Execute(address,
        static (w, a, s) => AddressCodec.Write(w, MessageTypes.DelAddr, MessageFlags.Request, a, s),
        static a => $"RTM_DELADDR {a}");

    /// <summary>Addresses of one interface (0: all interfaces), both families.</summary>
    public List<InterfaceAddress> List(int interfaceIndex = 0) => _socket.Dump<InterfaceAddress>(
        (w, s) =>
        {
            w.BeginMessage(MessageTypes.GetAddr, MessageFlags.Request | MessageFlags.Dump, s);
            var header = w.Reserve(AddressAttributes.IfAddrMsgSize);
            MemoryMarshal.Write(header[4..], interfaceIndex); // strict dumps filter by index in the kernel
            w.EndMessage();
        },
        static (message, out address) => AddressCodec.TryParse(message, out address),
        "RTM_GETADDR dump");
}
