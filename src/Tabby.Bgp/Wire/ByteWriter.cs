using System.Buffers.Binary;

namespace Tabby.Bgp.Wire;

/// <summary>A minimal growable big-endian writer for building messages.</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 256) => _buffer = new byte[capacity];

    public int Position { get; private set; }

    public Span<byte> Written => _buffer.AsSpan(0, Position);

    public void Clear() => Position = 0;

    /// <summary>Reserves <paramref name="n"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> Take(int n)
    {
        if (Position + n > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + n));
        var s = _buffer.AsSpan(Position, n);
        Position += n;
        return s;
    }

    public void U8(byte v) => Take(1)[0] = v;
    public void U16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), v);
    public void U32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), v);
    public void Bytes(ReadOnlySpan<byte> v) => v.CopyTo(Take(v.Length));
    public void Zeros(int n) => Take(n).Clear();

    public void PatchU16(int at, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), v);

    public byte[] ToArray() => Written.ToArray();
}
