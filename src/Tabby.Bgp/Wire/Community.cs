using System.Globalization;

namespace Tabby.Bgp.Wire;

/// <summary>A standard community (RFC 1997), shown as "asn:value", with the well-known ones named.</summary>
public readonly record struct Community(uint Value)
{
    public static Community NoExport => new(0xFFFFFF01);
    public static Community NoAdvertise => new(0xFFFFFF02);
    public static Community NoExportSubconfed => new(0xFFFFFF03);
    public static Community NoPeer => new(0xFFFFFF04);
    public static Community GracefulShutdown => new(0xFFFF0000);
    public static Community Blackhole => new(0xFFFF029A);

    public Community(ushort asn, ushort value)
        : this(((uint)asn << 16) | value)
    {
    }

    public ushort Asn => (ushort)(Value >> 16);
    public ushort Low => (ushort)Value;

    /// <summary>Parses "65000:100" or a well-known name such as "no-export".</summary>
    public static Community Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.ToLowerInvariant())
        {
            case "no-export": return NoExport;
            case "no-advertise": return NoAdvertise;
            case "no-export-subconfed": return NoExportSubconfed;
            case "no-peer": return NoPeer;
            case "graceful-shutdown": return GracefulShutdown;
            case "blackhole": return Blackhole;
        }
        var parts = text.Split(':');
        if (parts.Length != 2
            || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            throw new FormatException($"'{text}' is not a community (asn:value or a well-known name).");
        return new Community(a, b);
    }

    public override string ToString() => Value switch
    {
        0xFFFFFF01 => "no-export",
        0xFFFFFF02 => "no-advertise",
        0xFFFFFF03 => "no-export-subconfed",
        0xFFFFFF04 => "no-peer",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Asn}:{Low}"),
    };
}
