namespace Tabby.Lab.Daemons;

/// <summary>Finds the built `tabby` command (same configuration as the caller) so labs can run it as a process of its own.</summary>
public static class TabbyCommand
{
    public static string DllPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent?.Name ?? "Release";
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tabby.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Tabby.Cli", "bin", configuration, "net10.0", "tabby.dll");
                return File.Exists(dll) ? dll : throw new DaemonException($"{dll} is missing: build the whole solution (./run does)");
            }
        }
        throw new DaemonException($"no Tabby.slnx above {AppContext.BaseDirectory}");
    }
}
