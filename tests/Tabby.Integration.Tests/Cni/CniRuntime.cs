using System.Diagnostics;
using Tabby.Lab.Daemons;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Cni;

/// <summary>A runtime-style CNI client: runs plugins as container runtimes do, with the CNI_* environment and the configuration on stdin, inside a host's namespace.</summary>
/// <remarks>
/// The plugin runs under <c>nsenter --net</c> into the host namespace, as a runtime on that host would run
/// it from the root namespace; nothing of the caller's namespace is touched. Variables the caller's own
/// environment has under CNI_ or TABBY_CNI_ are not passed on, so tests cannot leak into each other.
/// </remarks>
public sealed class CniRuntime(string hostNamespace, IReadOnlyList<string> cniPath)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    /// <summary>The namespace the plugin runs in: a name under /run/netns.</summary>
    public string HostNamespace { get; } = hostNamespace ?? throw new ArgumentNullException(nameof(hostNamespace));

    /// <summary>CNI_PATH, first directory first.</summary>
    public IReadOnlyList<string> CniPath { get; } = cniPath ?? throw new ArgumentNullException(nameof(cniPath));

    /// <summary>A client for Tabby's published plugins (plus <paramref name="morePaths"/>, e.g. /usr/lib/cni for host-local).</summary>
    public static CniRuntime ForTabby(string hostNamespace, params string[] morePaths) =>
        new(hostNamespace, [CniPluginBinaries.Directory(), .. morePaths]);

    public async Task<CniOutcome> RunAsync(CniInvocation invocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var plugin = CniPath.Select(d => Path.Combine(d, invocation.Plugin)).FirstOrDefault(File.Exists)
            ?? throw new DaemonException($"no {invocation.Plugin} in CNI_PATH {string.Join(':', CniPath)}");
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--net={Path.Combine(NetworkNamespace.NamedDirectory, HostNamespace)}");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(plugin);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal) || k.StartsWith("TABBY_CNI_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        Set(start, "CNI_COMMAND", invocation.Command);
        Set(start, "CNI_CONTAINERID", invocation.ContainerId);
        Set(start, "CNI_NETNS", invocation.Netns);
        Set(start, "CNI_IFNAME", invocation.IfName);
        Set(start, "CNI_ARGS", invocation.Args);
        Set(start, "CNI_PATH", string.Join(':', CniPath));
        foreach (var (key, value) in invocation.Environment ?? new Dictionary<string, string?>())
            Set(start, key, value);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new DaemonException($"could not start {plugin}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(invocation.Config.AsMemory(), cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new DaemonException($"{invocation.Plugin} {invocation.Command} did not finish in {s_timeout.TotalSeconds:F0} s");
        }
        var elapsed = clock.Elapsed;
        return new CniOutcome(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), elapsed);
    }

    private static void Set(ProcessStartInfo start, string key, string? value)
    {
        if (value is null)
            start.Environment.Remove(key);
        else
            start.Environment[key] = value;
    }
}
