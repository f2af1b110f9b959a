using System.Text;

namespace Tabby.Selectors.Syntax;

/// <summary>Orders strings by Unicode code point, which is Go's byte-wise order of their UTF-8.</summary>
/// <remarks>
/// Calico sorts set literals with Go's string comparison; .NET's ordinal order compares UTF-16
/// code units and puts characters above U+FFFF before U+E000..U+FFFF, which would reorder a set
/// and so change its canonical form and ID.
/// </remarks>
internal sealed class CodePointComparer : IComparer<string>
{
    public static CodePointComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var a = x.AsSpan();
        var b = y.AsSpan();
        while (!a.IsEmpty && !b.IsEmpty)
        {
            // Invalid surrogates decode as U+FFFD, as Go's conversion of such text to UTF-8 would.
            Rune.DecodeFromUtf16(a, out var ra, out var na);
            Rune.DecodeFromUtf16(b, out var rb, out var nb);
            if (ra != rb)
                return ra.Value.CompareTo(rb.Value);
            a = a[na..];
            b = b[nb..];
        }
        return a.Length.CompareTo(b.Length);
    }
}
