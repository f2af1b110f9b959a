using System.Globalization;

namespace Tabby.Linux.Processes;

/// <summary>Memory figures of processes, for benchmarks and status.</summary>
public static class ProcessUsage
{
    /// <summary>A process's resident set (VmRSS) and peak (VmHWM), in MiB, from /proc; null when it is gone.</summary>
    public static (double Rss, double Peak)? Of(int pid)
    {
        try
        {
            double rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = Kb(line) / 1024.0;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    peak = Kb(line) / 1024.0;
            }

            return (rss, peak);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Kb(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
