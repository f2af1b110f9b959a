using System.Diagnostics;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Daemons;

/// <summary>A third-party daemon running in the foreground inside a namespace, known and stopped by its pid.</summary>
/// <remarks>
/// `ip netns exec` enters the namespace and then execs the daemon, and the shell wrapper execs too,
/// so the pid we start is the daemon's own: stopping it never needs a name lookup.
/// </remarks>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;

    private DaemonProcess(Process process, string name, string logFile)
    {
        _process = process;
        Name = name;
        LogFile = logFile;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public string LogFile { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts argv inside the namespace with output to <paramref name="logFile"/>.</summary>
    public static DaemonProcess Start(NetworkNamespace networkNamespace, string logFile, params string[] argv)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        if (networkNamespace.Name is null)
            throw new ArgumentException("daemons run in named namespaces", nameof(networkNamespace));
        if (!File.Exists(argv[0]) && !OnPath(argv[0]))
            throw new DaemonException($"{argv[0]} is not installed; ./run installs it (package list in ./run)");
        // Daemons holding thousands of sessions need descriptors: take the hard limit (20,000 here) as the soft one.
        var command = "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec ip netns exec " + Quote(networkNamespace.Name) + " " + string.Join(' ', argv.Select(Quote)) + " >" + Quote(logFile) + " 2>&1";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        var process = Process.Start(start) ?? throw new DaemonException($"could not start {argv[0]}");
        return new DaemonProcess(process, Path.GetFileName(argv[0]), logFile);
    }

    /// <summary>The last lines the daemon wrote, for failure messages.</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Blocks until <paramref name="ready"/> holds; if the process exits first this fails at once, with its log tail, rather than at the deadline.</summary>
    public void WaitUntilReady(Func<bool> ready, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(ready);
        CommandRunner.WaitUntilAsync(
            () => (HasExited ? throw new DaemonException($"{Name} exited while waiting for {what}: {Tail()}") : ready(), Tail()),
            timeout, what).GetAwaiter().GetResult();
    }

    /// <summary>SIGKILL, as a crash would: what graceful-restart tests need, and what cleanup may always do.</summary>
    public void Kill()
    {
        if (_process.HasExited)
            return;
        _process.Kill();
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Single-quotes a word for /bin/sh.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Any(d => File.Exists(Path.Combine(d, program)));
}
