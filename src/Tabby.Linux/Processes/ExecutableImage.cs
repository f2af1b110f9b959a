using System.Globalization;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Processes;

/// <summary>The pages of this process's own executable that its start-up touched and its work does not need.</summary>
/// <remarks>
/// A NativeAOT daemon maps one executable with every command in it, and starting reads much more of it than its work
/// does: the runtime unpacks its type data from a read-only section once, and each page fault maps the fault's
/// neighbours too (the kernel's fault-around). `tabby bgp run` had 13 MB of its 20 MB executable resident before a
/// single route arrived. Those pages are the file's, unchanged, so dropping them from this process costs nothing but
/// a minor fault for each one used again, read back from the page cache. Measured: resident before the first burst
/// 19.5-20 MB instead of 23, peak in the BIRD scenario of `./run bench bgp` 41-49 MB over twelve runs instead of
/// 44-50. Code pages
/// come back in 64 KB runs as they are used (the fault-around again, which MADV_RANDOM does not turn off), so the
/// gain is mostly the unpacked read-only data.
/// </remarks>
public static class ExecutableImage
{
    /// <summary>
    /// Drops the resident pages of the executable's read-only mappings that hold nothing private. A mapping with
    /// private (copy-on-write) pages, such as relocated data made read-only after loading, is left alone: dropping
    /// those would bring back the file's bytes. Call once start-up is over and before the work's hot paths are warmed.
    /// </summary>
    /// <returns>Bytes no longer resident; 0 when /proc cannot say (a sandbox without smaps): this only saves memory.</returns>
    public static long DropStartupPages()
    {
        try
        {
            return Drop();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 0;
        }
    }

    private static long Drop()
    {
        var executable = Environment.ProcessPath;
        if (executable is null)
            return 0;
        long dropped = 0;
        (nint Start, nint End, bool ReadOnly)? mapping = null;
        long rss = 0, anonymous = -1;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (IsHeader(line, out var start, out var end, out var readOnly, out var path))
            {
                dropped += Drop(mapping, rss, anonymous);
                mapping = path == executable ? (start, end, readOnly) : null;
                rss = 0;
                anonymous = -1;
            }
            else if (mapping is not null && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
            else if (mapping is not null && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                anonymous = Kb(line);
            }
        }
        return dropped + Drop(mapping, rss, anonymous);
    }

    private static long Drop((nint Start, nint End, bool ReadOnly)? mapping, long rssKb, long anonymousKb)
    {
        if (mapping is not { ReadOnly: true } m || anonymousKb != 0 || rssKb == 0)
            return 0;
        return Libc.madvise(m.Start, (nuint)(m.End - m.Start), Libc.MADV_DONTNEED) == 0 ? rssKb * 1024 : 0;
    }

    /// <summary>A mapping's first line: "start-end perms offset dev inode [path]".</summary>
    private static bool IsHeader(string line, out nint start, out nint end, out bool readOnly, out string? path)
    {
        (start, end, readOnly, path) = (0, 0, false, null);
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[1].Length != 4)
            return false;
        var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash < 1)
            return false;
        if (!long.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var s)
            || !long.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var e))
            return false;
        (start, end) = ((nint)s, (nint)e);
        readOnly = fields[1][1] == '-';
        path = fields.Length == 6 ? fields[5].Trim() : null;
        return true;
    }

    private static long Kb(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
