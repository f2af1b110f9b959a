using System.Diagnostics;

namespace Tabby.Lab.Daemons;

/// <summary>Runs a short query command (birdc, vtysh, gobgp) and returns its output; a failure carries stderr.</summary>
public static class CommandRunner
{
    public static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new DaemonException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(15000))
        {
            process.Kill();
            throw new DaemonException($"{program} {string.Join(' ', arguments)} did not finish in 15 s");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes; the failure message says what was last seen.</summary>
    public static async Task WaitUntilAsync(Func<(bool Done, string Seen)> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        var seen = string.Empty;
        var delay = 20;
        while (deadline.Elapsed < timeout)
        {
            (var done, seen) = condition();
            if (done)
                return;
            await Task.Delay(delay).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 250);
        }
        throw new DaemonException($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last seen: {seen}");
    }
}
