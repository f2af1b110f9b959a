using System.Runtime.InteropServices;

namespace Tabby.Linux.Netlink;

/// <summary>One received netlink message: its header fields and a view of its payload.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Splits a receive buffer into messages; stops at the first one whose length does not fit.</summary>
    public static bool TryRead(ref ReadOnlySpan<byte> buffer, out NetlinkMessage message)
    {
        message = default;
        if (buffer.Length < 16)
            return false;
        var length = MemoryMarshal.Read<uint>(buffer);
        if (length < 16 || length > buffer.Length)
            return false;
        message = new NetlinkMessage(
            MemoryMarshal.Read<ushort>(buffer[4..]),
            MemoryMarshal.Read<ushort>(buffer[6..]),
            MemoryMarshal.Read<uint>(buffer[8..]),
            buffer[16..(int)length]);
        var advance = Math.Min(NetlinkWriter.Align((int)length), buffer.Length);
        buffer = buffer[advance..];
        return true;
    }
}
