using System.Globalization;
using System.Text.RegularExpressions;

namespace Tabby.Node.Calc;

/// <summary>Reads Go durations as Calico's resources carry them (<c>120s</c>, <c>1m30s</c>, <c>250ms</c>).</summary>
public static partial class GoDuration
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (text == "0")
            return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        var matches = Part().Matches(text);
        if (matches.Sum(m => m.Length) != text.Length || matches.Count == 0)
            return null;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                _ => TimeSpan.FromTicks((long)(value / 100)),
            };
        }

        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
