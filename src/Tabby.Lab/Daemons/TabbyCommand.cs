namespace Tabby.Lab.Daemons;

/// <summary>Finds the built `tabby` command (same configuration as the caller) so labs can run it as a process of its own.</summary>
/// <remarks>
/// `./run` publishes the command NativeAOT to out/&lt;configuration&gt;/tabby/tabby; that executable is what ships,
/// so it is preferred, unless a later plain `dotnet build` left newer assemblies in bin/ (an edit-test cycle
/// without `./run`), which must not be tested against a stale publish: then it is `dotnet bin/.../tabby.dll`.
/// </remarks>
public static class TabbyCommand
{
    /// <summary>The command line that starts `tabby`, before its arguments: the executable, or `dotnet` and the assembly.</summary>
    public static string[] Argv()
    {
        var (root, configuration) = Checkout();
        var built = Path.Combine(root, "src", "Tabby.Cli", "bin", configuration, "net10.0");
        var published = Path.Combine(root, "out", configuration, "tabby", "tabby");
        if (File.Exists(published) && File.GetLastWriteTimeUtc(published) >= NewestAssembly(built))
            return [published];
        var dll = Path.Combine(built, "tabby.dll");
        return File.Exists(dll) ? ["dotnet", dll] : throw new DaemonException($"{published} and {dll} are missing: build the whole solution (./run does)");
    }

    /// <summary>out/&lt;configuration&gt; of this checkout, where `./run` publishes what ships (the command, the CNI plugins).</summary>
    public static string OutDirectory()
    {
        var (root, configuration) = Checkout();
        return Path.Combine(root, "out", configuration);
    }

    /// <summary>The checkout above this process (a test's bin/&lt;configuration&gt;/net10.0, or out/&lt;configuration&gt;/tabby) and its configuration.</summary>
    private static (string Root, string Configuration) Checkout()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent?.Name ?? "Release";
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tabby.slnx")))
                return (dir.FullName, configuration);
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
