using System.Globalization;

namespace Tabby.Bench.Bgp;

/// <summary>What /proc says about the device under test: CPU time used and peak resident memory.</summary>
internal static class DeviceProcess
{
    /// <summary>User plus system CPU time of a process and its threads, in milliseconds.</summary>
    public static double CpuMs(int pid)
    {
        // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name, in clock ticks (100 Hz).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>VmHWM: the most memory the process has had resident at once.</summary>
    public static double PeakRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return 0;
    }

    /// <summary>The resident memory lines of /proc/PID/status (peak, now, anonymous, file-backed), for the log.</summary>
    public static string Memory(int pid) =>
        string.Join(", ", File.ReadLines($"/proc/{pid}/status")
            .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal) || l.StartsWith("VmRSS:", StringComparison.Ordinal) || l.StartsWith("RssAnon:", StringComparison.Ordinal) || l.StartsWith("RssFile:", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))));
}
