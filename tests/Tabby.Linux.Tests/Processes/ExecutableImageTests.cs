using System.Globalization;
using Tabby.Linux.Processes;

namespace Tabby.Linux.Tests.Processes;

/// <summary>Dropping the executable's start-up pages, in this test process (whose executable is the dotnet host).</summary>
public sealed class ExecutableImageTests
{
    [Fact]
    public void Read_only_pages_are_dropped_private_ones_kept_and_the_process_runs_on()
    {
        var before = Mappings();
        Assert.Contains(before, m => m.ReadOnly && m.AnonymousKb == 0 && m.RssKb > 0);

        var dropped = ExecutableImage.DropStartupPages();

        // What the mappings held then, give or take pages another thread touched in between.
        Assert.True(dropped > 0, "nothing dropped");
        Assert.True(dropped <= before.Where(m => m.ReadOnly && m.AnonymousKb == 0).Sum(m => m.RssKb) * 1024 + 1024 * 1024, $"{dropped} bytes dropped");
        // Relocated data made read-only after loading holds private pages: dropping them would bring the file's bytes back.
        var after = Mappings();
        foreach (var kept in before.Where(m => m.AnonymousKb > 0))
            Assert.Equal(kept.AnonymousKb, after.Single(m => m.Start == kept.Start).AnonymousKb);
        // What was dropped is read back on use: the host still answers.
        Assert.False(string.IsNullOrEmpty(Environment.ProcessPath));
        GC.Collect();
        Assert.Equal(55, Enumerable.Range(1, 10).Sum());
    }

    private sealed record Mapping(string Start, bool ReadOnly, long RssKb, long AnonymousKb);

    private static List<Mapping> Mappings()
    {
        var executable = Environment.ProcessPath!;
        var found = new List<Mapping>();
        string? start = null;
        var readOnly = false;
        long rss = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[1].Length == 4 && fields[0].Contains('-', StringComparison.Ordinal))
            {
                start = fields.Length == 6 && fields[5].Trim() == executable ? fields[0] : null;
                readOnly = fields[1][1] == '-';
            }
            else if (start is not null && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                rss = long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            else if (start is not null && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                found.Add(new Mapping(start, readOnly, rss, long.Parse(fields[1], CultureInfo.InvariantCulture)));
            }
        }
        return found;
    }
}
