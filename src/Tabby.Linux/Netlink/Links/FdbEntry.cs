using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Linux.Netlink.Links;

/// <summary>A bridge forwarding-database entry; on a VXLAN device it says which remote VTEP owns a MAC.</summary>
public sealed record FdbEntry(int InterfaceIndex, MacAddress Mac, IPAddress? Destination)
{
    public bool Permanent { get; init; } = true;

    public override string ToString() => $"{Mac} dev {InterfaceIndex}{(Destination is null ? string.Empty : $" dst {Destination}")}{(Permanent ? " permanent" : string.Empty)}";
}
