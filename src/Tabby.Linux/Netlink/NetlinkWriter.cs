using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Tabby.Linux.Netlink;

/// <summary>Builds one or many netlink messages back to back in a pooled buffer, with NLA alignment done here only.</summary>
/// <remarks>
/// Batching many messages into one sendmsg is what makes route programming fast, so the writer
/// never allocates per message: it appends into one growing, pooled array and patches lengths
/// in place when a message or a nested attribute ends.
/// </remarks>
internal sealed class NetlinkWriter : IDisposable
{
    private const int HeaderSize = 16;
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public NetlinkWriter(int initialCapacity = 64 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;
    public int MessageCount { get; private set; }
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public static int Align(int length) => (length + 3) & ~3;

    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
        MessageCount = 0;
    }

    public void BeginMessage(ushort type, ushort flags, uint sequence)
    {
        if (_messageStart >= 0)
            throw new InvalidOperationException("The previous netlink message was not ended.");
        _messageStart = _length;
        var header = Reserve(HeaderSize);
        MemoryMarshal.Write(header[4..], in type);
        MemoryMarshal.Write(header[6..], in flags);
        MemoryMarshal.Write(header[8..], in sequence);
        // nlmsg_pid stays 0: the kernel is the destination.
    }

    public void EndMessage()
    {
        if (_messageStart < 0)
            throw new InvalidOperationException("No netlink message is open.");
        var length = (uint)(_length - _messageStart);
        MemoryMarshal.Write(_buffer.AsSpan(_messageStart), in length);
        _messageStart = -1;
        MessageCount++;
    }

    /// <summary>Appends zeroed, 4-byte-aligned space (a fixed header such as rtmsg) and returns it for filling.</summary>
    public Span<byte> Reserve(int size)
    {
        var aligned = Align(size);
        EnsureCapacity(aligned);
        var span = _buffer.AsSpan(_length, aligned);
        span.Clear();
        _length += aligned;
        return span[..size];
    }

    public void Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var total = 4 + value.Length;
        // nla_len is 16 bits: a longer value would be sent with a wrapped length the kernel misreads.
        if (total > ushort.MaxValue)
            throw new ArgumentException($"A netlink attribute holds at most {ushort.MaxValue - 4} bytes; attribute {type} has {value.Length}.", nameof(value));
        var span = Reserve(total);
        var length = (ushort)total;
        MemoryMarshal.Write(span, in length);
        MemoryMarshal.Write(span[2..], in type);
        value.CopyTo(span[4..]);
    }

    public void AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    public void AttributeU16(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        MemoryMarshal.Write(b, in value);
        Attribute(type, b);
    }

    public void AttributeU16BigEndian(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        Attribute(type, b);
    }

    public void AttributeU32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        MemoryMarshal.Write(b, in value);
        Attribute(type, b);
    }

    public void AttributeI32(ushort type, int value) => AttributeU32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string attribute, as IFLA_IFNAME and IFLA_INFO_KIND expect.</summary>
    public void AttributeString(ushort type, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> b = byteCount < 256 ? stackalloc byte[byteCount + 1] : new byte[byteCount + 1];
        Encoding.UTF8.GetBytes(value, b);
        b[byteCount] = 0;
        Attribute(type, b);
    }

    public void AttributeAddress(ushort type, IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var written);
        Attribute(type, b[..written]);
    }

    /// <summary>Opens a nested attribute; pass the returned position to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        var span = Reserve(4);
        var nestedType = (ushort)(type | 0x8000); // NLA_F_NESTED: strict kernels want it on nests.
        MemoryMarshal.Write(span[2..], in nestedType);
        return start;
    }

    /// <summary>Opens a nest without NLA_F_NESTED, for the old attributes (IFLA_LINKINFO's peer) that predate the flag.</summary>
    public int BeginNestedLegacy(ushort type)
    {
        var start = _length;
        var span = Reserve(4);
        MemoryMarshal.Write(span[2..], in type);
        return start;
    }

    public void EndNested(int start)
    {
        var total = _length - start;
        if (total > ushort.MaxValue)
            throw new InvalidOperationException($"A nested netlink attribute holds at most {ushort.MaxValue} bytes; this one has {total}.");
        var length = (ushort)total;
        MemoryMarshal.Write(_buffer.AsSpan(start), in length);
    }

    public void PatchUInt16(int offset, ushort value) => MemoryMarshal.Write(_buffer.AsSpan(offset), in value);

    /// <summary>Drops everything written since <paramref name="length"/>, so a half-built message can be abandoned.</summary>
    public void Truncate(int length)
    {
        _length = length;
        _messageStart = -1;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra <= _buffer.Length)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
