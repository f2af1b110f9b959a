namespace Tabby.Linux.Netlink.Events;

/// <summary>Which rtnetlink multicast groups a subscription joins.</summary>
[Flags]
public enum NetlinkEventKinds
{
    None = 0,
    Links = 1,
    Addresses = 2,
    Routes = 4,
    All = Links | Addresses | Routes,
}
