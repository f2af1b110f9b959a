namespace Tabby.Lab.Daemons;

/// <summary>Finds the built `tabby` command (same configuration as the caller) so labs can run it as a process of its own.</summary>
/// <remarks>
/// `./run` publishes the command ReadyToRun to out/&lt;configuration&gt;/tabby; that copy is what ships, so it
/// is preferred, unless a later plain `dotnet build` left newer assemblies in bin/ (an edit-test cycle
/// without `./run`), which must not be tested against a stale publish.
/// </remarks>
public static class TabbyCommand
{
    public static string DllPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent?.Name ?? "Release";
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Tabby.slnx")))
                continue;
            var built = Path.Combine(dir.FullName, "src", "Tabby.Cli", "bin", configuration, "net10.0");
            var published = Path.Combine(dir.FullName, "out", configuration, "tabby");
            if (File.Exists(Path.Combine(published, "tabby.dll")) && NewestAssembly(published) >= NewestAssembly(built))
                return Path.Combine(published, "tabby.dll");
            var dll = Path.Combine(built, "tabby.dll");
            return File.Exists(dll) ? dll : throw new DaemonException($"{dll} is missing: build the whole solution (./run does)");
        }
        throw new DaemonException($"no Tabby.slnx above {AppContext.BaseDirectory}");
    }

    private static DateTime NewestAssembly(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.dll")
                .Where(f => Path.GetFileName(f).StartsWith("Tabby", StringComparison.OrdinalIgnoreCase))
                .Select(File.GetLastWriteTimeUtc)
                .DefaultIfEmpty(DateTime.MinValue)
                .Max()
            : DateTime.MinValue;
}
