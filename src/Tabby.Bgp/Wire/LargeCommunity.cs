using System.Globalization;

namespace Tabby.Bgp.Wire;

/// <summary>A large community (RFC 8092): global administrator and two local data parts, "g:l1:l2".</summary>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public static LargeCommunity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 3
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l1)
            || !uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var l2))
            throw new FormatException($"'{text}' is not a large community (global:local1:local2).");
        return new LargeCommunity(g, l1, l2);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GlobalAdministrator}:{LocalData1}:{LocalData2}");
}
