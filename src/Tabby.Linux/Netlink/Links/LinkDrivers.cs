namespace Tabby.Linux.Netlink.Links;

/// <summary>Whether this kernel has the driver behind a link kind, judged from what it publishes, not from a refused request.</summary>
/// <remarks>
/// The kernel answers EOPNOTSUPP ("Unknown device type") both for a kind whose driver is missing
/// and for a kind it has never heard of, so the errno alone cannot say which; only a driver the
/// kernel shows no trace of may be reported as missing.
/// </remarks>
public static class LinkDrivers
{
    /// <summary>True when the driver is loaded or built in (/sys/module) or can be loaded (modules.dep, modules.builtin).</summary>
    public static bool IsAvailable(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        if (Directory.Exists(Path.Combine("/sys/module", kind)))
            return true;
        string release;
        try
        {
            release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return false;
        }
        var moduleFile = "/" + kind + ".ko";
        foreach (var list in new[] { "modules.dep", "modules.builtin" })
        {
            var path = Path.Combine("/lib/modules", release, list);
            if (!File.Exists(path))
                continue;
            foreach (var line in File.ReadLines(path))
            {
                var name = line.Split(':', 2)[0];
                if (name.EndsWith(moduleFile, StringComparison.Ordinal) || name.Contains(moduleFile + ".", StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }
}
