using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Probes;

/// <summary>Runs iputils `ping` inside a namespace: the tool a network engineer trusts, so the lab proves what they would check.</summary>
public static partial class Ping
{
    /// <param name="payload">When set, that many bytes of ICMP payload with Don't Fragment set (<c>-M do -s N</c>): whether a packet of that size gets through whole.</param>
    public static PingResult Once(NetworkNamespace from, IPAddress target, TimeSpan? timeout = null, int? payload = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        if (from.Name is null)
            throw new ArgumentException("ping needs a named namespace", nameof(from));
        var seconds = Math.Max(1, (int)Math.Ceiling((timeout ?? TimeSpan.FromSeconds(2)).TotalSeconds));
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "netns", "exec", from.Name, "ping", "-n", "-c", "1", "-W", seconds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        if (payload is { } size)
        {
            foreach (var argument in new[] { "-M", "do", "-s", size.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(target.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ip netns exec ping");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var output = (stdout.Result + stderr).Trim();
        var reply = ReplyLine().Match(output);
        if (process.ExitCode != 0 || !reply.Success)
            return new PingResult(false, null, null, output);
        return new PingResult(true,
            int.Parse(reply.Groups["ttl"].Value, CultureInfo.InvariantCulture),
            double.Parse(reply.Groups["time"].Value, CultureInfo.InvariantCulture),
            output);
    }

    [GeneratedRegex(@"ttl=(?<ttl>\d+) time=(?<time>[\d.]+) ms")]
    private static partial Regex ReplyLine();
}
