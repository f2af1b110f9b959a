namespace Tabby.Linux.Netlink.Protocol;

/// <summary>NDA_* attribute types and ndmsg constants (linux/neighbour.h).</summary>
internal static class NeighbourAttributes
{
    public const ushort Dst = 1;
    public const ushort LinkLayerAddress = 2;
    public const ushort Master = 9;

    public const byte FlagSelf = 0x2;
    public const byte FlagMaster = 0x4;

    public const int NdMsgSize = 12;
}
