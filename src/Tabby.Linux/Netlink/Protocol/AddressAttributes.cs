namespace Tabby.Linux.Netlink.Protocol;

/// <summary>IFA_* attribute types (linux/if_addr.h).</summary>
internal static class AddressAttributes
{
    public const ushort Address = 1;
    public const ushort Local = 2;
    public const ushort Label = 3;
    public const ushort Flags = 8;

    public const int IfAddrMsgSize = 8;
}
