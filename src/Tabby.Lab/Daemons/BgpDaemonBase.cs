using System.Net;
using System.Text.Json;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Daemons;

/// <summary>What the lab's BGP daemons share: the processes they own, the pid and log of the BGP one, and a start that leaves nothing running when it fails.</summary>
public abstract class BgpDaemonBase : IBgpDaemon
{
    private readonly DaemonProcess[] _processes;

    /// <param name="main">The BGP process: its pid is <see cref="Pid"/> and its log <see cref="Log"/>.</param>
    /// <param name="helpers">Processes the BGP one depends on (FRR's zebra), stopped after it.</param>
    private protected BgpDaemonBase(DaemonProcess main, params DaemonProcess[] helpers)
    {
        Main = main;
        _processes = [main, .. helpers];
    }

    public abstract string Kind { get; }
    public int Pid => Main.Pid;

    private protected DaemonProcess Main { get; }

    public abstract bool IsEstablished(IPAddress neighbor);

    public abstract IReadOnlySet<IpPrefix> Prefixes();

    public virtual string Log() => Main.Tail();

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the work directory and writes the daemon's configuration file there; returns the file's path.</summary>
    private protected static string WriteConfig(string workDirectory, string fileName, string contents)
    {
        Directory.CreateDirectory(workDirectory);
        var path = Path.Combine(workDirectory, fileName);
        File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>Whether a CLI's JSON answer passes <paramref name="test"/>; a failed command, or text from a daemon still starting, is a no.</summary>
    private protected static bool JsonAnswerHolds((int ExitCode, string Output) answer, Func<JsonElement, bool> test)
    {
        if (answer.ExitCode != 0)
            return false;
        try
        {
            using var json = JsonDocument.Parse(answer.Output);
            return test(json.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The IPv4 and IPv6 prefixes that name the members of a RIB dumped as JSON by <paramref name="rib"/>(family): of the
    /// whole object (GoBGP) or of its <paramref name="property"/> (FRR's "routes"). A family whose answer is not JSON adds
    /// nothing: a half-started bgpd answers with text, some GoBGP versions print nothing for an empty RIB, and the next
    /// poll sees JSON.
    /// </summary>
    private protected static IReadOnlySet<IpPrefix> RibPrefixes(Func<string, (int ExitCode, string Output)> rib, string? property = null)
    {
        var prefixes = new HashSet<IpPrefix>();
        foreach (var family in new[] { "ipv4", "ipv6" })
        {
            var (code, output) = rib(family);
            if (code != 0 || string.IsNullOrWhiteSpace(output))
                continue;
            try
            {
                using var json = JsonDocument.Parse(output);
                var routes = json.RootElement;
                if (property is not null && !json.RootElement.TryGetProperty(property, out routes))
                    continue;
                foreach (var route in routes.EnumerateObject())
                {
                    if (IpPrefix.TryParse(route.Name, out var prefix))
                        prefixes.Add(prefix);
                }
            }
            catch (JsonException)
            {
                // Not JSON yet: see the summary.
            }
        }
        return prefixes;
    }

    /// <summary>
    /// Returns <paramref name="daemon"/> once it <paramref name="answers"/> and <paramref name="configure"/> (if any) has run.
    /// Any failure on the way (its process exited, no answer in time, configure threw) stops it first: callers get a
    /// running daemon or an exception, never a process left behind.
    /// </summary>
    private protected static T Ready<T>(T daemon, Func<T, bool> answers, TimeSpan timeout, string what, Action<T>? configure = null)
        where T : BgpDaemonBase
    {
        try
        {
            daemon.Main.WaitUntilReady(() => answers(daemon), timeout, what);
            configure?.Invoke(daemon);
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }
}
