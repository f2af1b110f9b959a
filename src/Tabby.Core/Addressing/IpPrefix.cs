using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tabby.Core.Addressing;

/// <summary>An IPv4 or IPv6 network prefix with no host bits set, stored without allocation.</summary>
/// <remarks>
/// Routes, IPAM blocks and BGP NLRI are all prefixes, and there are hundreds of thousands of them
/// in a busy RIB; a value type keeps them out of the GC. IPv4 lives in the low 32 bits.
/// </remarks>
public readonly struct IpPrefix : IEquatable<IpPrefix>, IComparable<IpPrefix>, ISpanFormattable, ISpanParsable<IpPrefix>
{
    // Two ulongs rather than one UInt128: 24 bytes instead of 32 (UInt128 is 16-byte aligned), and a
    // layout of primitives only, so ReadyToRun can precompile every method that passes a prefix around
    // (it refuses code whose value types embed another assembly's non-primitive structs).
    private readonly ulong _hi;
    private readonly ulong _lo;
    private readonly byte _length;
    private readonly bool _isV6;

    private IpPrefix(UInt128 bits, int length, bool isV6)
    {
        _hi = (ulong)(bits >> 64);
        _lo = (ulong)bits;
        _length = (byte)length;
        _isV6 = isV6;
    }

    private IpPrefix(uint v4, int length)
    {
        _lo = v4;
        _length = (byte)length;
    }

    public bool IsIPv6 => _isV6;
    public AddressFamily Family => _isV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
    public int Length => _length;
    public int MaxLength => _isV6 ? 128 : 32;
    public bool IsHost => _length == MaxLength;

    /// <summary>The IPv4 address as a host-order integer; only meaningful for IPv4.</summary>
    public uint V4Bits => (uint)_lo;

    /// <summary>The address as a host-order 128-bit integer (IPv4 in the low 32 bits).</summary>
    public UInt128 Bits => new(_hi, _lo);

    public IPAddress Address => _isV6 ? new IPAddress(GetAddressBytes()) : new IPAddress(BinaryPrimitives.ReverseEndianness(V4Bits));

    public static IpPrefix V4(uint hostOrderAddress, int length)
    {
        if ((uint)length > 32)
            throw new ArgumentOutOfRangeException(nameof(length), length, "An IPv4 prefix length is 0-32.");
        if ((hostOrderAddress & ~MaskV4(length)) != 0)
            throw new ArgumentException($"{FormatV4(hostOrderAddress)}/{length} has host bits set.", nameof(hostOrderAddress));
        return new IpPrefix(hostOrderAddress, length);
    }

    public static IpPrefix V6(UInt128 hostOrderAddress, int length)
    {
        if ((uint)length > 128)
            throw new ArgumentOutOfRangeException(nameof(length), length, "An IPv6 prefix length is 0-128.");
        if ((hostOrderAddress & ~MaskV6(length)) != UInt128.Zero)
            throw new ArgumentException($"Prefix /{length} has host bits set.", nameof(hostOrderAddress));
        return new IpPrefix(hostOrderAddress, length, true);
    }

    /// <summary>Builds a prefix from an address, masking away host bits (unlike Parse, which refuses them).</summary>
    public static IpPrefix Masked(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if ((uint)length > 32)
                throw new ArgumentOutOfRangeException(nameof(length), length, "An IPv4 prefix length is 0-32.");
            return new IpPrefix(ToBits(address) & MaskV4(length), length, false);
        }
        if ((uint)length > 128)
            throw new ArgumentOutOfRangeException(nameof(length), length, "An IPv6 prefix length is 0-128.");
        return new IpPrefix(ToBits(address) & MaskV6(length), length, true);
    }

    /// <summary>A host prefix (/32 or /128) for one address.</summary>
    public static IpPrefix Host(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Masked(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>Builds a prefix from the leading bytes of an address in network order, as netlink and BGP carry them.</summary>
    public static IpPrefix FromNetworkBytes(ReadOnlySpan<byte> bytes, int length, bool isV6)
    {
        if (isV6)
        {
            Span<byte> full = stackalloc byte[16];
            full.Clear();
            bytes[..Math.Min(bytes.Length, 16)].CopyTo(full);
            return new IpPrefix(BinaryPrimitives.ReadUInt128BigEndian(full) & MaskV6(length), length, true);
        }
        Span<byte> four = stackalloc byte[4];
        four.Clear();
        bytes[..Math.Min(bytes.Length, 4)].CopyTo(four);
        return new IpPrefix(BinaryPrimitives.ReadUInt32BigEndian(four) & MaskV4(length), length, false);
    }

    /// <summary>Writes the full address (4 or 16 bytes) in network order and returns the count.</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        if (_isV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, Bits);
            return 16;
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_lo);
        return 4;
    }

    public byte[] GetAddressBytes()
    {
        var bytes = new byte[_isV6 ? 16 : 4];
        WriteAddressBytes(bytes);
        return bytes;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if ((address.AddressFamily == AddressFamily.InterNetworkV6) != _isV6)
            return false;
        var bits = ToBits(address);
        return _isV6 ? (bits & MaskV6(_length)) == Bits : ((uint)bits & MaskV4(_length)) == (uint)_lo;
    }

    public bool Contains(IpPrefix other) =>
        other._isV6 == _isV6 && other._length >= _length &&
        (_isV6 ? (other.Bits & MaskV6(_length)) == Bits : ((uint)other._lo & MaskV4(_length)) == (uint)_lo);

    public static IpPrefix Parse(string s) => Parse(s.AsSpan(), CultureInfo.InvariantCulture);
    public static IpPrefix Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static IpPrefix Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
    {
        if (!TryParse(s, out var prefix, out var error))
            throw new FormatException(error);
        return prefix;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IpPrefix result) =>
        TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out IpPrefix result) =>
        TryParse(s, out result, out _);

    public static bool TryParse(string? s, out IpPrefix result) => TryParse(s.AsSpan(), out result, out _);

    /// <summary>Parses "a.b.c.d/n" or "x::y/n"; host bits must be zero, as Calico requires of CIDRs.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out IpPrefix result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var slash = s.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{s}' is not a CIDR: the /length is missing.";
            return false;
        }
        if (!IsCanonicalAddressText(s[..slash]) || !IPAddress.TryParse(s[..slash], out var address))
        {
            error = $"'{s}' is not a CIDR: '{s[..slash]}' is not an IP address.";
            return false;
        }
        var lengthText = s[(slash + 1)..];
        if (lengthText.IsEmpty || lengthText.Length > 3 || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            error = $"'{s}' is not a CIDR: '{lengthText}' is not a prefix length.";
            return false;
        }
        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var max = isV6 ? 128 : 32;
        if (length > max)
        {
            error = $"'{s}' is not a CIDR: the prefix length {length} is over {max}.";
            return false;
        }
        var masked = Masked(address, length);
        if (masked.Bits != ToBits(address))
        {
            error = $"'{s}' has host bits set; the network is {masked}.";
            return false;
        }
        result = masked;
        error = null;
        return true;
    }

    /// <summary>
    /// Only the text forms Go's net.ParseCIDR (and so Calico) accepts: four decimal octets without
    /// leading zeros, or standard IPv6 without a zone. IPAddress.TryParse alone would read "010.0.0.0"
    /// as octal 8.0.0.0 and "10.0.0" as 10.0.0.0, turning a typo into a different network.
    /// </summary>
    internal static bool IsCanonicalAddressText(ReadOnlySpan<char> text)
    {
        if (text.Contains(':'))
            return !text.Contains('%');
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            parts++;
            if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
                return false;
            foreach (var c in part)
            {
                if (c is < '0' or > '9')
                    return false;
            }
            if (int.Parse(part, CultureInfo.InvariantCulture) > 255)
                return false;
        }
        return parts == 4;
    }

    public bool Equals(IpPrefix other) => _lo == other._lo && _hi == other._hi && _length == other._length && _isV6 == other._isV6;
    public override bool Equals(object? obj) => obj is IpPrefix other && Equals(other);
    public override int GetHashCode()
    {
        // A multiply-xorshift mix instead of HashCode.Combine: RIB tables hash every prefix several
        // times per UPDATE, and consecutive /32s must still spread over the buckets.
        var h = (_lo * 0x9E3779B97F4A7C15UL) ^ (_hi * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)_length << 1) ^ (_isV6 ? 1UL : 0UL);
        h ^= h >> 29;
        return (int)h ^ (int)(h >> 32);
    }
    public static bool operator ==(IpPrefix left, IpPrefix right) => left.Equals(right);
    public static bool operator !=(IpPrefix left, IpPrefix right) => !left.Equals(right);

    /// <summary>IPv4 before IPv6, then by address, then shorter prefixes first.</summary>
    public int CompareTo(IpPrefix other)
    {
        if (_isV6 != other._isV6)
            return _isV6 ? 1 : -1;
        var c = Bits.CompareTo(other.Bits);
        return c != 0 ? c : _length.CompareTo(other._length);
    }

    public static bool operator <(IpPrefix left, IpPrefix right) => left.CompareTo(right) < 0;
    public static bool operator >(IpPrefix left, IpPrefix right) => left.CompareTo(right) > 0;
    public static bool operator <=(IpPrefix left, IpPrefix right) => left.CompareTo(right) <= 0;
    public static bool operator >=(IpPrefix left, IpPrefix right) => left.CompareTo(right) >= 0;

    public override string ToString() => _isV6
        ? $"{Address}/{_length}"
        : $"{FormatV4((uint)_lo)}/{_length}";

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (_isV6)
        {
            var text = ToString();
            charsWritten = text.Length;
            return text.TryCopyTo(destination);
        }
        var v = (uint)_lo;
        return destination.TryWrite(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xff}.{(v >> 8) & 0xff}.{v & 0xff}/{_length}", out charsWritten);
    }

    internal static uint MaskV4(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);
    internal static UInt128 MaskV6(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    private static UInt128 ToBits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static string FormatV4(uint v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xff}.{(v >> 8) & 0xff}.{v & 0xff}");
}
