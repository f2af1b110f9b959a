namespace Tabby.Linux.Netlink.Routes;

/// <summary>rtm_type (RTN_*): what the FIB does with a matching packet.</summary>
public enum RouteType : byte
{
    Unspecified = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
    Throw = 9,
}
