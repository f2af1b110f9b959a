using System.Globalization;

namespace Tabby.Bench.Scale;

/// <summary>Where a process's resident memory sits (from /proc/PID/smaps_rollup) and the CPU it has used: the profile
/// behind an RSS figure, since thirty agents share the pages of the same assemblies.</summary>
internal sealed record ProcessFootprint(double AnonymousMb, double FileMb, double PssMb)
{
    /// <summary>Anonymous (heaps, stacks, JIT code) and file-backed (mapped assemblies and libraries) resident memory, and the
    /// proportional set size (shared pages split between the processes sharing them); zeros when the process is gone.</summary>
    public static ProcessFootprint Of(int pid)
    {
        try
        {
            double rss = 0, anonymous = 0, pss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ProcessFootprint(0, 0, 0);
        }
    }

    /// <summary>User plus system CPU seconds the process has used (/proc/PID/stat, in USER_HZ = 100 ticks a second).</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces; the fields after it are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    public override string ToString() => $"anonymous {AnonymousMb:0.0} MB, file-backed {FileMb:0.0} MB, pss {PssMb:0.0} MB";

    private static double Kb(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
