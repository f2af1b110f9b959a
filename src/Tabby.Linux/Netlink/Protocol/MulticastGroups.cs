namespace Tabby.Linux.Netlink.Protocol;

/// <summary>rtnetlink multicast group numbers (enum rtnetlink_groups), joined with NETLINK_ADD_MEMBERSHIP.</summary>
internal static class MulticastGroups
{
    public const int Link = 1;
    public const int Neigh = 3;
    public const int IPv4Address = 5;
    public const int IPv4Route = 7;
    public const int IPv6Address = 9;
    public const int IPv6Route = 11;
}
