using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tabby.Lab.Daemons;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Podman;

/// <summary>podman as a real CNI client, confined to one lab host namespace and a directory of its own.</summary>
/// <remarks>
/// Every podman command runs as <c>nsenter --net=/run/netns/HOST podman --root R --runroot RR ...</c> with a
/// containers.conf of its own: the CNI backend with the given plugin directory and network configuration
/// directory, runc, cgroupfs, no journald. Containers always name a network (podman's default network would
/// build a bridge and NAT rules). Disposal removes every container, then the directory.
/// </remarks>
public sealed class PodmanRuntime : IDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(120);
    private readonly string _root;
    private bool _disposed;

    private PodmanRuntime(string hostNamespace, string directory, IReadOnlyList<string> pluginDirectories)
    {
        HostNamespace = hostNamespace;
        Directory = directory;
        PluginDirectories = pluginDirectories;
        _root = Path.Combine(directory, "root");
        NetworkConfigDirectory = Path.Combine(directory, "net.d");
        ConfigFile = Path.Combine(directory, "containers.conf");
    }

    /// <summary>The host namespace (a name under /run/netns) the plugins run in.</summary>
    public string HostNamespace { get; }

    /// <summary>Everything podman stores for this runtime lives under here.</summary>
    public string Directory { get; }

    public IReadOnlyList<string> PluginDirectories { get; }
    public string NetworkConfigDirectory { get; }
    public string ConfigFile { get; }

    /// <summary>The image <see cref="ImportBusybox"/> creates.</summary>
    public const string BusyboxImage = "localhost/tabby-busybox:latest";

    /// <summary>Prepares a runtime in <paramref name="directory"/> (created; must not hold another runtime's state).</summary>
    public static PodmanRuntime Create(string hostNamespace, string directory, params string[] pluginDirectories)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostNamespace);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (pluginDirectories.Length == 0)
            throw new ArgumentException("podman needs at least one CNI plugin directory", nameof(pluginDirectories));
        if (!NetworkNamespace.Exists(hostNamespace))
            throw new DaemonException($"host namespace {hostNamespace} does not exist");
        var runtime = new PodmanRuntime(hostNamespace, Path.GetFullPath(directory), pluginDirectories);
        System.IO.Directory.CreateDirectory(runtime.NetworkConfigDirectory);
        System.IO.Directory.CreateDirectory(Path.Combine(runtime.Directory, "tmp"));
        File.WriteAllText(runtime.ConfigFile, runtime.ContainersConf());
        return runtime;
    }

    /// <summary>Writes a network configuration list podman will find by its name.</summary>
    public void AddNetwork(string name, string conflist)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(conflist);
        File.WriteAllText(Path.Combine(NetworkConfigDirectory, name + ".conflist"), conflist);
    }

    /// <summary>Builds an image from the static busybox (package busybox-static): no registry needed.</summary>
    public void ImportBusybox(string busybox = "/bin/busybox")
    {
        if (!File.Exists(busybox))
            throw new DaemonException($"{busybox} is missing (install busybox-static)");
        var rootfs = Path.Combine(Directory, "busybox-rootfs");
        var bin = Path.Combine(rootfs, "bin");
        System.IO.Directory.CreateDirectory(bin);
        File.Copy(busybox, Path.Combine(bin, "busybox"), overwrite: true);
        foreach (var applet in new[] { "sh", "sleep", "ip", "ping", "cat", "ls", "hostname" })
        {
            var link = Path.Combine(bin, applet);
            if (!File.Exists(link))
                File.CreateSymbolicLink(link, "busybox");
        }
        var tarball = Path.Combine(Directory, "busybox.tar");
        Run("tar", "-C", rootfs, "-cf", tarball, ".");
        Podman("import", tarball, BusyboxImage);
    }

    /// <summary>Starts a detached container on <paramref name="network"/> and returns its ID.</summary>
    /// <param name="ip">A static address (podman's --ip), or null.</param>
    public string RunContainer(string name, string network, string? ip = null, params string[] command)
    {
        ArgumentException.ThrowIfNullOrEmpty(network);
        var arguments = new List<string> { "run", "-d", "--name", name, "--network", network };
        if (ip is not null)
            arguments.AddRange(["--ip", ip]);
        arguments.Add(BusyboxImage);
        arguments.AddRange(command.Length > 0 ? command : ["sleep", "3600"]);
        return Podman([.. arguments]).Trim();
    }

    /// <summary>The container's network namespace path (its sandbox, /run/netns/netns-...).</summary>
    public string SandboxOf(string name) => Podman("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", name).Trim();

    /// <summary>The container's ID.</summary>
    public string IdOf(string name) => Podman("inspect", "--format", "{{.Id}}", name).Trim();

    /// <summary>Runs a command inside a running container.</summary>
    public string Exec(string name, params string[] command) => Podman(["exec", name, .. command]);

    /// <summary>Stops and removes a container; podman runs the plugins' DEL.</summary>
    public void Remove(string name) => Podman("rm", "-f", "-t", "0", name);

    /// <summary>Runs podman with this runtime's confinement; throws with its output when it fails.</summary>
    public string Podman(params string[] arguments)
    {
        var (code, stdout, stderr) = TryPodman(arguments);
        if (code != 0)
            throw new DaemonException($"podman {string.Join(' ', arguments)} exited {code}: {stderr.Trim()} {stdout.Trim()}");
        return stdout;
    }

    public (int ExitCode, string Stdout, string Stderr) TryPodman(params string[] arguments)
    {
        var all = new List<string>
        {
            $"--net={Path.Combine(NetworkNamespace.NamedDirectory, HostNamespace)}", "--",
            "env", $"CONTAINERS_CONF={ConfigFile}",
            "podman", "--root", _root, "--runroot", Path.Combine(Directory, "runroot"),
            "--storage-driver", "vfs", "--tmpdir", Path.Combine(Directory, "tmp"),
            "--network-config-dir", NetworkConfigDirectory, "--cgroup-manager", "cgroupfs", "--events-backend", "file",
        };
        all.AddRange(arguments);
        return Run("nsenter", [.. all]);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            // Removing the containers runs the plugins' DEL and unmounts what podman mounted.
            TryPodman("rm", "-a", "-f", "-t", "0");
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Something is still mounted or busy: leave it for inspection rather than fail teardown.
            }
        }
    }

    private string ContainersConf()
    {
        var plugins = string.Join(", ", PluginDirectories.Select(d => $"\"{d}\""));
        var text = new StringBuilder();
        text.AppendLine("[containers]");
        // No CAP_SYS_RESOURCE here: podman's default (raise nofile to the hard limit) would fail.
        text.AppendLine("default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]");
        text.AppendLine("[network]");
        text.AppendLine("network_backend = \"cni\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"cni_plugin_dirs = [{plugins}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"network_config_dir = \"{NetworkConfigDirectory}\"");
        text.AppendLine("[engine]");
        text.AppendLine("runtime = \"runc\"");
        text.AppendLine("cgroup_manager = \"cgroupfs\"");
        text.AppendLine("events_logger = \"file\"");
        return text.ToString();
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new DaemonException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(s_commandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new DaemonException($"{program} {string.Join(' ', arguments)} did not finish in {s_commandTimeout.TotalSeconds:F0} s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }
}
