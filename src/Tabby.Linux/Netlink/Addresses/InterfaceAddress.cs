using System.Net;
using System.Net.Sockets;

namespace Tabby.Linux.Netlink.Addresses;

/// <summary>An address on an interface with its prefix length, e.g. 192.168.0.2/24 on eth0.</summary>
public sealed record InterfaceAddress(int InterfaceIndex, IPAddress Address, int PrefixLength)
{
    /// <summary>Scope (RT_SCOPE_*): 0 global, 253 link, 254 host.</summary>
    public byte Scope { get; init; }

    public string? Label { get; init; }

    /// <summary>IFA_F_* flags, e.g. 0x02 (nodad) so an IPv6 address is usable at once, 0x80 permanent.</summary>
    public uint Flags { get; init; }

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => $"{Address}/{PrefixLength} dev {InterfaceIndex}";
}
