namespace Tabby.Linux.Netlink.Protocol;

/// <summary>nlmsg_type values: the netlink control types and the rtnetlink requests (linux/rtnetlink.h).</summary>
internal static class MessageTypes
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    public const ushort NewLink = 16;
    public const ushort DelLink = 17;
    public const ushort GetLink = 18;
    public const ushort SetLink = 19;
    public const ushort NewAddr = 20;
    public const ushort DelAddr = 21;
    public const ushort GetAddr = 22;
    public const ushort NewRoute = 24;
    public const ushort DelRoute = 25;
    public const ushort GetRoute = 26;
    public const ushort NewNeigh = 28;
    public const ushort DelNeigh = 29;
    public const ushort GetNeigh = 30;

    public static string Name(ushort type) => type switch
    {
        NewLink => "RTM_NEWLINK",
        DelLink => "RTM_DELLINK",
        GetLink => "RTM_GETLINK",
        SetLink => "RTM_SETLINK",
        NewAddr => "RTM_NEWADDR",
        DelAddr => "RTM_DELADDR",
        GetAddr => "RTM_GETADDR",
        NewRoute => "RTM_NEWROUTE",
        DelRoute => "RTM_DELROUTE",
        GetRoute => "RTM_GETROUTE",
        NewNeigh => "RTM_NEWNEIGH",
        DelNeigh => "RTM_DELNEIGH",
        GetNeigh => "RTM_GETNEIGH",
        _ => $"type {type}",
    };
}
