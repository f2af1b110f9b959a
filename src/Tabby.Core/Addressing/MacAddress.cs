using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tabby.Core.Addressing;

/// <summary>A 48-bit Ethernet address, printed lower-case with colons as `ip link` does.</summary>
public readonly struct MacAddress : IEquatable<MacAddress>, ISpanParsable<MacAddress>
{
    private readonly ulong _value;

    public MacAddress(ulong value)
    {
        if (value > 0xFFFF_FFFF_FFFFUL)
            throw new ArgumentOutOfRangeException(nameof(value), "A MAC address has 48 bits.");
        _value = value;
    }

    /// <summary>The MAC Calico gives every host-side workload interface, so a workload never learns a real one.</summary>
    public static MacAddress HostSideWorkload { get; } = new(0xEEEE_EEEE_EEEEUL);

    public ulong Value => _value;

    /// <summary>The group bit: such an address cannot be an interface's own.</summary>
    public bool IsMulticast => ((_value >> 40) & 1) == 1;

    public bool IsZero => _value == 0;

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
            throw new ArgumentException($"A MAC address is 6 bytes, not {bytes.Length}.", nameof(bytes));
        ulong v = 0;
        foreach (var b in bytes)
            v = (v << 8) | b;
        return new MacAddress(v);
    }

    public void WriteBytes(Span<byte> destination)
    {
        for (var i = 0; i < 6; i++)
            destination[i] = (byte)(_value >> (8 * (5 - i)));
    }

    public byte[] GetBytes()
    {
        var bytes = new byte[6];
        WriteBytes(bytes);
        return bytes;
    }

    public static MacAddress Parse(string s) => Parse(s.AsSpan(), null);
    public static MacAddress Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static MacAddress Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var mac) ? mac : throw new FormatException($"'{s}' is not a MAC address (expected six hex pairs separated by ':').");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result)
    {
        result = default;
        if (s.Length != 17)
            return false;
        ulong v = 0;
        for (var i = 0; i < 6; i++)
        {
            if (i > 0 && s[(i * 3) - 1] != ':' && s[(i * 3) - 1] != '-')
                return false;
            if (!byte.TryParse(s.Slice(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                return false;
            v = (v << 8) | b;
        }
        result = new MacAddress(v);
        return true;
    }

    public bool Equals(MacAddress other) => _value == other._value;
    public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);
    public override int GetHashCode() => _value.GetHashCode();
    public static bool operator ==(MacAddress left, MacAddress right) => left.Equals(right);
    public static bool operator !=(MacAddress left, MacAddress right) => !left.Equals(right);

    public override string ToString() => string.Create(17, _value, static (span, v) =>
    {
        const string hex = "0123456789abcdef";
        for (var i = 0; i < 6; i++)
        {
            var b = (byte)(v >> (8 * (5 - i)));
            span[i * 3] = hex[b >> 4];
            span[(i * 3) + 1] = hex[b & 0xF];
            if (i < 5)
                span[(i * 3) + 2] = ':';
        }
    });
}
