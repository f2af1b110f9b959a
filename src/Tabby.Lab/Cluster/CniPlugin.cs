using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Tabby.Lab.Daemons;

namespace Tabby.Lab.Cluster;

/// <summary>Runs a CNI plugin exactly as a container runtime does: the CNI_* environment, the config on stdin, the
/// result or error JSON on stdout, run in the host namespace the workload is attached to.</summary>
public sealed class CniPlugin(string pluginDirectory, string type = "tabby")
{
    /// <summary>The directory holding the plugins (CNI_PATH).</summary>
    public string Directory { get; } = pluginDirectory;

    /// <summary>Run each plugin under GNU time to learn its peak RSS (benchmarks). getrusage of our own children
    /// would not do: a child forked from a large process counts the parent's pages until it execs.</summary>
    public bool MeasureMemory { get; set; }

    /// <summary>The plugins `./run` published for this checkout: out/&lt;configuration&gt;/cni.</summary>
    public static CniPlugin Published()
    {
        var path = Path.Combine(TabbyCommand.OutDirectory(), "cni");
        return File.Exists(Path.Combine(path, "tabby"))
            ? new CniPlugin(path)
            : throw new DaemonException($"{path}/tabby is missing: ./run publishes the CNI plugins");
    }

    /// <summary>Runs one CNI command in <paramref name="hostNamespace"/>; returns the plugin's exit code and stdout.</summary>
    public async Task<CniOutcome> RunAsync(string command, string hostNamespace, string containerId, string? netnsPath, string config,
        string ifName = "eth0", string? cniArgs = null, CancellationToken cancellationToken = default)
    {
        // nsenter only joins the network namespace; `ip netns exec` would also make a mount namespace and
        // remount /sys, which costs a runtime's ADD time for nothing the plugin needs.
        var start = new ProcessStartInfo(MeasureMemory ? "/usr/bin/time" : "nsenter")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (MeasureMemory)
        {
            foreach (var arg in new[] { "-f", "tabby-peak-rss-kb:%M", "nsenter" })
                start.ArgumentList.Add(arg);
        }

        foreach (var arg in new[] { $"--net={Tabby.Linux.Netns.NetworkNamespace.NamedDirectory}/{hostNamespace}", Path.Combine(Directory, type) })
            start.ArgumentList.Add(arg);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = containerId;
        start.Environment["CNI_IFNAME"] = ifName;
        start.Environment["CNI_PATH"] = Directory;
        if (netnsPath is not null)
            start.Environment["CNI_NETNS"] = netnsPath;
        if (cniArgs is not null)
            start.Environment["CNI_ARGS"] = cniArgs;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new DaemonException("could not start the CNI plugin");
        await process.StandardInput.WriteAsync(config).ConfigureAwait(false);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new CniOutcome(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch.Elapsed);
    }

    /// <summary>A network configuration for the lab: the tabby plugin with tabby-ipam, on the lab's datastore.</summary>
    public static string NetworkConfig(string network, string datastore, string nodeName, string? pool = null, string? mtuFile = null)
    {
        var ipam = new JsonObject { ["type"] = "tabby-ipam" };
        if (pool is not null)
            ipam["ipv4_pools"] = new JsonArray(pool);
        return new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = network,
            ["type"] = "tabby",
            ["datastore"] = datastore,
            ["nodename"] = nodeName,
            ["ipam"] = ipam,
            // Each lab host's agent writes its own; without one the plugin would read the machine's /var/lib/tabby/mtu.
            ["mtu_file"] = mtuFile ?? "/nonexistent/tabby-lab-mtu",
        }.ToJsonString();
    }
}
