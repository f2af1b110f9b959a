using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Cni;

/// <summary>Finds the published CNI plugins: out/&lt;configuration&gt;/cni, a directory that works as CNI_PATH.</summary>
public static class CniPluginBinaries
{
    public const string NetworkPlugin = "tabby";
    public const string IpamPlugin = "tabby-ipam";

    /// <summary>The directory holding <c>tabby</c> and <c>tabby-ipam</c> (same configuration as the caller).</summary>
    /// <exception cref="DaemonException">They were not published.</exception>
    public static string Directory()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent?.Name ?? "Release";
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Tabby.slnx")))
                continue;
            var cni = Path.Combine(dir.FullName, "out", configuration, "cni");
            if (File.Exists(Path.Combine(cni, NetworkPlugin)) && File.Exists(Path.Combine(cni, IpamPlugin)))
                return cni;
            throw new DaemonException($"{cni}/{NetworkPlugin} and {IpamPlugin} are missing: ./run publishes them (dotnet publish src/Tabby.Cni -r linux-x64, then both names)");
        }
        throw new DaemonException($"no Tabby.slnx above {AppContext.BaseDirectory}");
    }
}
