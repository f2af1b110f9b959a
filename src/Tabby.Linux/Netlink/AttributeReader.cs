using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Tabby.Linux.Netlink;

/// <summary>Walks a run of netlink attributes (TLVs) without copying; a malformed tail ends the walk.</summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public AttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_remaining.Length < 4)
            return false;
        var length = MemoryMarshal.Read<ushort>(_remaining);
        if (length < 4 || length > _remaining.Length)
            return false;
        // Strip NLA_F_NESTED and NLA_F_NET_BYTEORDER: callers switch on the plain type.
        type = (ushort)(MemoryMarshal.Read<ushort>(_remaining[2..]) & 0x3FFF);
        value = _remaining[4..length];
        _remaining = _remaining[Math.Min(NetlinkWriter.Align(length), _remaining.Length)..];
        return true;
    }

    public static uint U32(ReadOnlySpan<byte> value) => value.Length >= 4 ? MemoryMarshal.Read<uint>(value) : 0;
    public static int I32(ReadOnlySpan<byte> value) => value.Length >= 4 ? MemoryMarshal.Read<int>(value) : 0;
    public static ushort U16BigEndian(ReadOnlySpan<byte> value) => value.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(value) : (ushort)0;
    public static byte U8(ReadOnlySpan<byte> value) => value.Length >= 1 ? value[0] : (byte)0;

    public static string String(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
    }

    public static IPAddress? Address(ReadOnlySpan<byte> value) =>
        value.Length is 4 or 16 ? new IPAddress(value) : null;
}
