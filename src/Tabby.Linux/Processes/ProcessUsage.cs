using System.Globalization;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Processes;

/// <summary>Memory figures of processes, for benchmarks and status.</summary>
public static class ProcessUsage
{
    /// <summary>The largest peak RSS, in MiB, of any child this process has waited for (getrusage RUSAGE_CHILDREN).</summary>
    public static unsafe double ChildrenPeakRssMb()
    {
        Libc.Rusage usage;
        if (Libc.getrusage(Libc.RUSAGE_CHILDREN, &usage) != 0)
            throw new IOException("getrusage(RUSAGE_CHILDREN) failed");
        return usage.MaxRss / 1024.0;
    }

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
