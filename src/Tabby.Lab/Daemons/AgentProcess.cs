using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Tabby.Linux.Processes;
using Tabby.Node.Status;

namespace Tabby.Lab.Daemons;

/// <summary>A `tabby node run` process programming one lab host's namespace, known and stopped by its pid.</summary>
/// <remarks>
/// The process runs in the root namespace and programs the host namespace through <c>--netns</c>, so it can
/// reach a lab etcd on 127.0.0.1; its health server lives on the host namespace's loopback.
/// </remarks>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, AgentSpec spec)
    {
        _process = process;
        Spec = spec;
    }

    public AgentSpec Spec { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string ControlSocket => ControlSocketOf(Spec);

    public string NodenameFile => Path.Combine(Spec.WorkDirectory, Spec.NodeName + ".nodename");

    /// <summary>Where this host's agent writes the MTU for new workloads (the plugin's <c>mtu_file</c>).</summary>
    public string MtuFile => MtuFileOf(Spec);

    public static string MtuFileOf(AgentSpec spec) => Path.Combine(spec.WorkDirectory, spec.NodeName + ".mtu");

    public string LogFile => Path.Combine(Spec.WorkDirectory, Spec.NodeName + ".log");

    public static string ControlSocketOf(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Path.Combine(spec.WorkDirectory, spec.NodeName + ".sock");
    }

    public static AgentProcess Start(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(spec.WorkDirectory);
        List<string> args =
        [
            .. TabbyCommand.Argv(), "node", "run", "--netns", spec.Namespace, "--name", spec.NodeName, "--datastore", spec.Datastore,
            "--ip", spec.IPv4, "--control", ControlSocketOf(spec), "--nodename-file", Path.Combine(spec.WorkDirectory, spec.NodeName + ".nodename"),
            "--mtu-file", MtuFileOf(spec),
            "--resync-seconds", spec.ResyncInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--bgp-hold-seconds", spec.BgpHoldTime.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        args.AddRange(spec.DefaultPool is { } pool ? ["--default-ipv4-pool", pool] : ["--no-default-pool"]);
        args.AddRange(spec.ExtraArguments);
        // The shell execs the agent, so the pid is the agent's own; its output goes to a file, so it keeps
        // logging if whoever started it (a lab supervisor, a test) goes away first.
        var log = Path.Combine(spec.WorkDirectory, spec.NodeName + ".log");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec " + string.Join(' ', args.Select(DaemonProcess.Quote)) + " >>" + DaemonProcess.Quote(log) + " 2>&1 </dev/null");
        // The agent's working set matters in labs of dozens of hosts: a workstation GC with a small gen0 budget.
        start.Environment["DOTNET_gcServer"] = "0";
        // Hex without "0x": the native executable's runtime ignores a value it cannot parse as plain hex digits.
        start.Environment["DOTNET_GCgen0size"] = "400000";
        var process = Process.Start(start) ?? throw new DaemonException("could not start tabby node run");
        return new AgentProcess(process, spec);
    }

    /// <summary>The agent's own report.</summary>
    public Task<NodeStatusReport> StatusAsync(CancellationToken cancellationToken = default) => ControlServer.QueryAsync(ControlSocket, cancellationToken);

    /// <summary>Waits until the agent reports ready (in sync and applied); fails at once with its log if it exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (HasExited)
                throw new DaemonException($"tabby node run for {Spec.NodeName} exited ({_process.ExitCode}): {Tail()}");
            try
            {
                var status = await StatusAsync().ConfigureAwait(false);
                if (status.Ready)
                    return;
                last = $"{status.SyncState}, {status.LastError ?? "not applied"}";
            }
            catch (Exception e) when (e is SocketException or IOException or System.Text.Json.JsonException)
            {
                last = e.Message;
            }

            // The poll interval of this condition wait.
            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new DaemonException($"agent {Spec.NodeName} not ready after {timeout.TotalSeconds:0} s ({last}): {Tail()}");
    }

    /// <summary>SIGKILL, as a crash.</summary>
    public void Kill()
    {
        if (_process.HasExited)
            return;
        _process.Kill();
        _process.WaitForExit(5000);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not stopped in time.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
            return;
        Signals.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>How long the log is now: where a later <see cref="LogSince"/> starts (a restarted agent appends to the same file).</summary>
    public long LogLength => File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;

    /// <summary>What the agents of this host logged since <paramref name="offset"/> (a <see cref="LogLength"/>).</summary>
    public string LogSince(long offset)
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public string Tail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
