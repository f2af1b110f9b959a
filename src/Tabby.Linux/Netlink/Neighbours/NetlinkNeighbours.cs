using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Neighbours;

/// <summary>ARP/NDP neighbour operations over one rtnetlink socket.</summary>
public sealed class NetlinkNeighbours
{
    private readonly NetlinkSocket _socket;

    internal NetlinkNeighbours(NetlinkSocket socket) => _socket = socket;

    public void Add(Neighbour neighbour) => _socket.Execute(neighbour,
        static (w, n, s) => NeighbourCodec.Write(w, MessageTypes.NewNeigh, MessageFlags.Request | MessageFlags.Create | MessageFlags.Excl, n, s),
        static n => $"RTM_NEWNEIGH {n}");

    /// <summary>Adds or overwrites the entry, as `ip neigh replace` does.</summary>
    public void Replace(Neighbour neighbour) => _socket.Execute(neighbour,
        static (w, n, s) => NeighbourCodec.Write(w, MessageTypes.NewNeigh, MessageFlags.Request | MessageFlags.Create | MessageFlags.Replace, n, s),
        static n => $"RTM_NEWNEIGH replace {n}");

    public void Delete(Neighbour neighbour) => _socket.Execute(neighbour,
        static (w, n, s) => NeighbourCodec.Write(w, MessageTypes.DelNeigh, MessageFlags.Request, n, s),
        static n => $"RTM_DELNEIGH {n}");

    /// <summary>Neighbours of one interface (0: all), both families.</summary>
    public List<Neighbour> List(int interfaceIndex = 0)
    {
        var all = _socket.Dump<Neighbour>(
            static (w, s) =>
            {
                w.BeginMessage(MessageTypes.GetNeigh, MessageFlags.Request | MessageFlags.Dump, s);
                w.Reserve(NeighbourAttributes.NdMsgSize);
                w.EndMessage();
            },
            static (message, out neighbour) => NeighbourCodec.TryParse(message, out neighbour),
            "RTM_GETNEIGH dump");
        return interfaceIndex == 0 ? all : all.FindAll(n => n.InterfaceIndex == interfaceIndex);
    }
}
