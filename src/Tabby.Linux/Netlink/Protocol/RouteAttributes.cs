namespace Tabby.Linux.Netlink.Protocol;

/// <summary>RTA_* attribute types and rtmsg constants (linux/rtnetlink.h).</summary>
internal static class RouteAttributes
{
    public const ushort Dst = 1;
    public const ushort Src = 2;
    public const ushort Oif = 4;
    public const ushort Gateway = 5;
    public const ushort Priority = 6;
    public const ushort PrefSrc = 7;
    public const ushort Multipath = 9;
    public const ushort Table = 15;

    // rtnh_flags
    public const byte NextHopOnLink = 4;
    // rtm_flags
    public const uint FlagOnLink = 4;

    public const int RtMsgSize = 12;
    public const int RtNextHopSize = 8;
}
