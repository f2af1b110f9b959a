using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Linux.Netlink.Links;

/// <summary>A VXLAN device: the overlay Tabby can fall back to where routing between hosts is not possible.</summary>
public sealed record VxlanSpec(string Name, uint Vni)
{
    public ushort Port { get; init; } = 4789;
    public IPAddress? Local { get; init; }

    /// <summary>The underlay device to send through, or 0.</summary>
    public int ParentIndex { get; init; }

    /// <summary>Learning off: the agent programs FDB and ARP entries itself, as Calico does.</summary>
    public bool Learning { get; init; }

    public int? Mtu { get; init; }
    public MacAddress? Mac { get; init; }
}
