using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink.Routes;

/// <summary>Encodes routes into RTM_NEWROUTE/RTM_DELROUTE and decodes them from dumps and events.</summary>
internal static class RouteCodec
{
    public static void WriteNew(NetlinkWriter writer, Route route, uint sequence, bool replace)
    {
        var flags = (ushort)(MessageFlags.Request | MessageFlags.Create | (replace ? MessageFlags.Replace : MessageFlags.Excl));
        writer.BeginMessage(MessageTypes.NewRoute, flags, sequence);
        WriteBody(writer, route, route.Scope, route.Type);
        writer.EndMessage();
    }

    public static void WriteDelete(NetlinkWriter writer, Route route, uint sequence)
    {
        writer.BeginMessage(MessageTypes.DelRoute, MessageFlags.Request, sequence);
        // Scope "nowhere" matches any scope, as `ip route del` does; the protocol still must match,
        // which keeps an agent from deleting a route somebody else installed.
        WriteBody(writer, route, RouteScope.Nowhere, RouteType.Unspecified);
        writer.EndMessage();
    }

    public static void WriteDumpRequest(NetlinkWriter writer, RouteFilter filter, uint sequence)
    {
        writer.BeginMessage(MessageTypes.GetRoute, MessageFlags.Request | MessageFlags.Dump, sequence);
        var header = writer.Reserve(RouteAttributes.RtMsgSize);
        header[0] = filter.Family switch
        {
            AddressFamily.InterNetwork => AddressFamilies.Inet,
            AddressFamily.InterNetworkV6 => AddressFamilies.Inet6,
            _ => AddressFamilies.Unspec,
        };
        header[5] = filter.Protocol ?? 0;
        if (filter.Table is { } table)
        {
            header[4] = table < 256 ? (byte)table : (byte)0;
            writer.AttributeU32(RouteAttributes.Table, table);
        }
        writer.EndMessage();
    }

    private static void WriteBody(NetlinkWriter writer, Route route, RouteScope scope, RouteType type)
    {
        var isV6 = route.Destination.IsIPv6;
        var header = writer.Reserve(RouteAttributes.RtMsgSize);
        header[0] = isV6 ? AddressFamilies.Inet6 : AddressFamilies.Inet;
        header[1] = (byte)route.Destination.Length;
        header[4] = route.Table < 256 ? (byte)route.Table : (byte)0; // RT_TABLE_UNSPEC: RTA_TABLE carries big IDs
        header[5] = route.Protocol;
        header[6] = (byte)scope;
        header[7] = (byte)type;
        if (route.OnLink)
            MemoryMarshal.Write(header[8..], RouteAttributes.FlagOnLink);

        writer.AttributeU32(RouteAttributes.Table, route.Table);
        if (route.Destination.Length > 0)
        {
            Span<byte> address = stackalloc byte[16];
            var length = route.Destination.WriteAddressBytes(address);
            writer.Attribute(RouteAttributes.Dst, address[..length]);
        }
        if (route.NextHops is { Count: > 0 } hops)
        {
            WriteMultipath(writer, hops);
        }
        else
        {
            if (route.InterfaceIndex != 0)
                writer.AttributeI32(RouteAttributes.Oif, route.InterfaceIndex);
            if (route.Gateway is not null)
                writer.AttributeAddress(RouteAttributes.Gateway, route.Gateway);
        }
        if (route.Metric is { } metric)
            writer.AttributeU32(RouteAttributes.Priority, metric);
        if (route.PreferredSource is not null)
            writer.AttributeAddress(RouteAttributes.PrefSrc, route.PreferredSource);
    }

    private static void WriteMultipath(NetlinkWriter writer, IReadOnlyList<NextHop> hops)
    {
        var nest = writer.BeginNestedLegacy(RouteAttributes.Multipath);
        foreach (var hop in hops)
        {
            if (hop.Weight is < 1 or > 256)
                throw new ArgumentOutOfRangeException(nameof(hops), hop.Weight, "A next-hop weight is 1-256.");
            var start = writer.Length;
            var rtnh = writer.Reserve(RouteAttributes.RtNextHopSize);
            rtnh[2] = hop.OnLink ? RouteAttributes.NextHopOnLink : (byte)0;
            rtnh[3] = (byte)(hop.Weight - 1);
            MemoryMarshal.Write(rtnh[4..], hop.InterfaceIndex);
            if (hop.Gateway is not null)
                writer.AttributeAddress(RouteAttributes.Gateway, hop.Gateway);
            writer.PatchUInt16(start, (ushort)(writer.Length - start));
        }
        writer.EndNested(nest);
    }

    /// <summary>Decodes an RTM_NEWROUTE/RTM_DELROUTE; false for families Tabby does not model and for cache clones.</summary>
    public static bool TryParse(NetlinkMessage message, out Route route)
    {
        route = null!;
        var payload = message.Payload;
        if (payload.Length < RouteAttributes.RtMsgSize)
            return false;
        var family = payload[0];
        if (family is not (AddressFamilies.Inet or AddressFamilies.Inet6))
            return false;
        var isV6 = family == AddressFamilies.Inet6;
        var flags = MemoryMarshal.Read<uint>(payload[8..]);
        if ((flags & 0x200) != 0) // RTM_F_CLONED: a cache entry, not a route anybody installed
            return false;

        uint table = payload[4];
        ReadOnlySpan<byte> destination = default;
        IPAddress? gateway = null;
        IPAddress? source = null;
        int oif = 0;
        uint? metric = null;
        List<NextHop>? hops = null;
        var attributes = new AttributeReader(payload[RouteAttributes.RtMsgSize..]);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case RouteAttributes.Dst:
                    destination = value;
                    break;
                case RouteAttributes.Oif:
                    oif = AttributeReader.I32(value);
                    break;
                case RouteAttributes.Gateway:
                    gateway = AttributeReader.Address(value);
                    break;
                case RouteAttributes.Priority:
                    metric = AttributeReader.U32(value);
                    break;
                case RouteAttributes.PrefSrc:
                    source = AttributeReader.Address(value);
                    break;
                case RouteAttributes.Table:
                    table = AttributeReader.U32(value);
                    break;
                case RouteAttributes.Multipath:
                    hops = ParseMultipath(value);
                    break;
            }
        }
        route = new Route(IpPrefix.FromNetworkBytes(destination, payload[1], isV6))
        {
            Table = table,
            Protocol = payload[5],
            Scope = (RouteScope)payload[6],
            Type = (RouteType)payload[7],
            OnLink = (flags & RouteAttributes.FlagOnLink) != 0,
            Gateway = gateway,
            InterfaceIndex = oif,
            Metric = metric,
            PreferredSource = source,
            NextHops = hops,
        };
        return true;
    }

    private static List<NextHop> ParseMultipath(ReadOnlySpan<byte> value)
    {
        var hops = new List<NextHop>();
        while (value.Length >= RouteAttributes.RtNextHopSize)
        {
            var length = MemoryMarshal.Read<ushort>(value);
            if (length < RouteAttributes.RtNextHopSize || length > value.Length)
                break;
            IPAddress? gateway = null;
            var attributes = new AttributeReader(value[RouteAttributes.RtNextHopSize..length]);
            while (attributes.TryRead(out var type, out var attribute))
            {
                if (type == RouteAttributes.Gateway)
                    gateway = AttributeReader.Address(attribute);
            }
            hops.Add(new NextHop(gateway, MemoryMarshal.Read<int>(value[4..]), value[3] + 1, (value[2] & RouteAttributes.NextHopOnLink) != 0));
            value = value[Math.Min(NetlinkWriter.Align(length), value.Length)..];
        }
        return hops;
    }

    public static string Describe(string verb, Route route) => $"{verb} {route}";
}
