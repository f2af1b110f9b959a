using System.Net;

namespace Tabby.Linux.Netlink.Links;

/// <summary>What the kernel reports of a VXLAN device's configuration (IFLA_INFO_DATA), to tell whether an existing device is the one wanted.</summary>
/// <param name="Vni">The VXLAN network identifier (IFLA_VXLAN_ID).</param>
/// <param name="Port">The UDP destination port (IFLA_VXLAN_PORT), 0 when the kernel's default applies.</param>
/// <param name="Local">The source address of encapsulated packets (IFLA_VXLAN_LOCAL or LOCAL6), or null.</param>
/// <param name="ParentIndex">The underlay device (IFLA_VXLAN_LINK), or 0.</param>
/// <param name="Learning">Whether the device learns remote MACs from traffic (IFLA_VXLAN_LEARNING).</param>
public sealed record VxlanInfo(uint Vni, ushort Port, IPAddress? Local, int ParentIndex, bool Learning);
