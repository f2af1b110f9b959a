using System.Text;

namespace Tabby.Datastore;

/// <summary>Byte-order helpers for prefix ranges, shared by both backends.</summary>
internal static class KeyRange
{
    /// <summary>The smallest byte string greater than every string starting with <paramref name="prefix"/>, or null for "no end".</summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        return null;
    }

    /// <summary>The prefix end as a string, for SQLite's BINARY (memcmp) collation on UTF-8 text; null means "no end".</summary>
    public static string? PrefixEnd(string prefix)
    {
        // Keys are compared as UTF-8 bytes; incrementing the last byte may break a multi-byte sequence, so
        // fall back to a bound past every prefixed string that is still valid UTF-8: the prefix + U+10FFFF.
        var bytes = Encoding.UTF8.GetBytes(prefix);
        if (bytes.Length == 0)
        {
            return null;
        }

        if (bytes[^1] < 0x7f)
        {
            return prefix[..^1] + (char)(prefix[^1] + 1);
        }

        return prefix + char.ConvertFromUtf32(0x10FFFF) + char.ConvertFromUtf32(0x10FFFF);
    }
}
