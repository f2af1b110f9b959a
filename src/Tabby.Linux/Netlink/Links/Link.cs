using Tabby.Core.Addressing;

namespace Tabby.Linux.Netlink.Links;

/// <summary>A network interface as the kernel reports it.</summary>
public sealed record Link
{
    public required int Index { get; init; }
    public required string Name { get; init; }

    /// <summary>The IFLA_INFO_KIND ("veth", "bridge", "vxlan", ...), or null for physical and loopback devices.</summary>
    public string? Kind { get; init; }

    public MacAddress? Mac { get; init; }
    public int Mtu { get; init; }

    /// <summary>Administratively up (IFF_UP), as `ip link set up` leaves it.</summary>
    public bool IsUp { get; init; }

    /// <summary>The carrier is present (IFF_LOWER_UP): for a veth, both ends are up.</summary>
    public bool HasCarrier { get; init; }

    /// <summary>The bridge or VRF this link is enslaved to, or 0.</summary>
    public int MasterIndex { get; init; }

    /// <summary>IFLA_LINK: a veth's peer index (in the peer's namespace) or a tunnel's parent device, or 0.</summary>
    public int ParentIndex { get; init; }

    /// <summary>The namespace ID of the peer's namespace as this namespace knows it, or null when the peer is local.</summary>
    public int? PeerNamespaceId { get; init; }

    /// <summary>A VXLAN device's configuration, or null for other kinds.</summary>
    public VxlanInfo? Vxlan { get; init; }

    public override string ToString() => $"{Index}: {Name}{(Kind is null ? string.Empty : $" ({Kind})")} mtu {Mtu} {(IsUp ? "UP" : "DOWN")}{(Mac is { } mac ? $" link/ether {mac}" : string.Empty)}";
}
