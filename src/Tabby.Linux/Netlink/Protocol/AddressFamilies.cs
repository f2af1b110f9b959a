namespace Tabby.Linux.Netlink.Protocol;

/// <summary>The Linux AF_* numbers netlink carries (they differ from .NET's AddressFamily values).</summary>
internal static class AddressFamilies
{
    public const byte Unspec = 0;
    public const byte Inet = 2;
    public const byte Bridge = 7;
    public const byte Inet6 = 10;
}
