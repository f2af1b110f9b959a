using System.Diagnostics;
using System.Globalization;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>One Tabby.Ipam.Host process (one host acting as the CNI plugin): its stdout lines, its stderr, killed by pid.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string host, Process process)
    {
        Host = host;
        _process = process;
    }

    public string Host { get; }

    public int Pid => _process.Id;

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
                return [.. _errors];
        }
    }

    public static HostProcess Start(string datastore, string host, int allocations, int keepEvery, int seed, int? pauseAfter = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostDll);
        foreach (var (name, value) in new[]
        {
            ("--datastore", datastore), ("--host", host), ("--allocations", Str(allocations)), ("--keep-every", Str(keepEvery)), ("--seed", Str(seed)),
        })
        {
            info.ArgumentList.Add(name);
            info.ArgumentList.Add(value);
        }

        if (pauseAfter is { } p)
        {
            info.ArgumentList.Add("--pause-after");
            info.ArgumentList.Add(Str(p));
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new HostProcess(host, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (result._lines)
                result._lines.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (result._errors)
                result._errors.Add(e.Data);
        };
        process.Exited += (_, _) => result._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for the process to exit and for its output to be read to the end; returns its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Host} (pid {Pid}) did not finish in {timeout.TotalSeconds:0} s; last lines: {string.Join(" | ", Lines.TakeLast(3))}; stderr: {string.Join(" | ", Errors.TakeLast(5))}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until a stdout line satisfies <paramref name="match"/>, failing at the deadline or if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
                return line;
            if (_process.HasExited)
                throw new InvalidOperationException($"{Host} exited ({_process.ExitCode}) before the expected line; stderr: {string.Join(" | ", Errors.TakeLast(5))}");
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"{Host}: no expected line after {timeout.TotalSeconds:0} s");
            await Task.WhenAny(_exited.Task, Task.Delay(20));
        }
    }

    /// <summary>SIGKILL by pid, like a crash, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The host program, built beside this test assembly's configuration (Release or Debug).</summary>
    private static string HostDll
    {
        get
        {
            // .../tests/Tabby.Integration.Tests/bin/<Configuration>/net10.0/
            var bin = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = bin.Name.Length > 0 ? bin : bin.Parent!;
            var configuration = framework.Parent!.Name;
            var tests = framework.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(tests, "Tabby.Ipam.Host", "bin", configuration, framework.Name, "Tabby.Ipam.Host.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the IPAM host program is not built at {path}", path);
        }
    }
}
