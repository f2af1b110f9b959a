namespace Tabby.Linux.Netlink.Protocol;

/// <summary>nlmsg_flags (linux/netlink.h).</summary>
internal static class MessageFlags
{
    public const ushort Request = 0x1;
    public const ushort Multi = 0x2;
    public const ushort Ack = 0x4;
    public const ushort DumpInterrupted = 0x10;

    // Modifiers to GET requests.
    public const ushort Root = 0x100;
    public const ushort Match = 0x200;
    public const ushort Dump = Root | Match;

    // Modifiers to NEW requests.
    public const ushort Replace = 0x100;
    public const ushort Excl = 0x200;
    public const ushort Create = 0x400;
    public const ushort Append = 0x800;

    // Flags on NLMSG_ERROR acks.
    public const ushort AckCapped = 0x100;
    public const ushort AckTlvs = 0x200;
}
