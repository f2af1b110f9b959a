using System.Globalization;

namespace Tabby.Bench.Scale;

/// <summary>Where a process's resident memory sits (from /proc/PID/smaps_rollup) and the CPU it has used: the profile
/// behind an RSS figure, since thirty agents share the pages of the same assemblies.</summary>
internal sealed record ProcessFootprint(double AnonymousMb, double FileMb, double PssMb)
{
    private static readonly ProcessFootprint s_gone = new(0, 0, 0);

    /// <summary>Anonymous (heaps, stacks, JIT code) and file-backed (mapped assemblies and libraries) resident memory, and the
    /// proportional set size (shared pages split between the processes sharing them); zeros when the process is gone.</summary>
    public static ProcessFootprint Of(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/smaps_rollup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return s_gone;
        }
    }

    /// <summary>Reads the Rss, Anonymous and Pss lines (in kB) of a smaps_rollup file.</summary>
    public static ProcessFootprint Parse(string smapsRollup)
    {
        ArgumentNullException.ThrowIfNull(smapsRollup);
        double rss = 0, anonymous = 0, pss = 0;
        foreach (var line in smapsRollup.Split('\n'))
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal))
                rss = Kb(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
                anonymous = Kb(line);
            else if (line.StartsWith("Pss:", StringComparison.Ordinal))
                pss = Kb(line);
        }

        return new ProcessFootprint(anonymous / 1024, (rss - anonymous) / 1024, pss / 1024);
    }

    /// <summary>User plus system CPU seconds the process has used; NaN when it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            return ParseCpuSeconds(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>utime plus stime of a /proc/PID/stat line, in USER_HZ (100 ticks a second).</summary>
    public static double ParseCpuSeconds(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        // The command name, in parentheses, may hold spaces and parentheses; the fields after its last ')' are plain,
        // starting with the state (field 3), so utime (field 14) and stime (15) are the 12th and 13th of them.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public override string ToString() => $"anonymous {AnonymousMb:0.0} MB, file-backed {FileMb:0.0} MB, pss {PssMb:0.0} MB";

    private static double Kb(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
