using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;

namespace Tabby.Linux.Netlink.Neighbours;

/// <summary>An ARP or NDP entry: an IP address on an interface and the MAC it resolves to.</summary>
public sealed record Neighbour(int InterfaceIndex, IPAddress Address, MacAddress? Mac)
{
    public NeighbourState State { get; init; } = NeighbourState.Permanent;

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => $"{Address} dev {InterfaceIndex}{(Mac is { } mac ? $" lladdr {mac}" : string.Empty)} {State.ToString().ToUpperInvariant()}";
}
