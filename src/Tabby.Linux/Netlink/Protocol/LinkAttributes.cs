namespace Tabby.Linux.Netlink.Protocol;

/// <summary>IFLA_* attribute types and the nested link-info types (linux/if_link.h).</summary>
internal static class LinkAttributes
{
    public const ushort Address = 1;
    public const ushort Broadcast = 2;
    public const ushort IfName = 3;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort Master = 10;
    public const ushort OperState = 16;
    public const ushort LinkInfo = 18;
    public const ushort NetNsPid = 19;
    public const ushort NetNsFd = 28;
    public const ushort LinkNetNsId = 37;

    // IFLA_INFO_*
    public const ushort InfoKind = 1;
    public const ushort InfoData = 2;

    // VETH_INFO_PEER
    public const ushort VethPeer = 1;

    // IFLA_VXLAN_*
    public const ushort VxlanId = 1;
    public const ushort VxlanLink = 3;
    public const ushort VxlanLocal = 4;
    public const ushort VxlanLearning = 7;
    public const ushort VxlanPort = 15;
    public const ushort VxlanLocal6 = 17;

    // IFLA_IPTUN_*
    public const ushort IpTunLink = 1;
    public const ushort IpTunLocal = 2;
    public const ushort IpTunRemote = 3;

    // ifi_flags
    public const uint FlagUp = 0x1;
    public const uint FlagLowerUp = 0x10000;
}
