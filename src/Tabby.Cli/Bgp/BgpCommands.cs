using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tabby.Bgp.Speaker;
using Tabby.Linux.Processes;

namespace Tabby.Cli.Bgp;

/// <summary>`tabby bgp run|status`: the speaker on its own, for tests, benchmarks and route servers.</summary>
internal static class BgpCommands
{
    private const string DefaultControl = "/run/tabby/bgp.sock";

    public static Command Create()
    {
        var bgp = new Command("bgp", "Run or query a standalone BGP speaker");

        var config = new Option<FileInfo>("--config") { Description = "The speaker's YAML file (router ID, AS, listen address, peers, policies, originated prefixes)", Required = true };
        var control = new Option<string>("--control") { Description = "Control socket for `tabby bgp status`", DefaultValueFactory = _ => DefaultControl };
        var restarting = new Option<bool>("--restarting") { Description = "This start follows a crash: set the graceful-restart R bit so peers keep our routes until End-of-RIB" };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "trace, debug, information, warning or error (to stderr)", DefaultValueFactory = _ => LogLevel.Information };
        var run = new Command("run", "Run a BGP speaker until SIGTERM or Ctrl-C") { config, control, restarting, logLevel };
        run.SetAction((result, token) => RunAsync(result.GetValue(config)!.FullName, result.GetValue(control)!, result.GetValue(restarting), result.GetValue(logLevel), token));
        bgp.Subcommands.Add(run);

        var output = new Option<string>("-o", "--output") { Description = "table, json or prometheus", DefaultValueFactory = _ => "table" };
        var statusControl = new Option<string>("--control") { Description = "Control socket of the running speaker", DefaultValueFactory = _ => DefaultControl };
        var status = new Command("status", "Show the running speaker's peers: state, uptime, last error, messages and prefixes, graceful restart per family") { statusControl, output };
        status.SetAction((result, _) => StatusAsync(result.GetValue(statusControl)!, result.GetValue(output)!));
        bgp.Subcommands.Add(status);
        return bgp;
    }

    /// <summary>
    /// A short scheduler slice for the speaker's threads (schedulerSliceMicroseconds, 100 µs unless set), so that the first
    /// UPDATE of a burst is passed on at once instead of after the sending peer's slice on a shared core (see
    /// <see cref="ThreadScheduling.RequestSliceForProcess"/>).
    /// </summary>
    private static void RequestSlice(TimeSpan slice)
    {
        try
        {
            ThreadScheduling.RequestSliceForProcess(slice);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A sandbox may refuse the call, or hide /proc/self/task: the speaker works the same, only its first routes
            // may wait longer.
            Console.Error.WriteLine($"tabby bgp: keeping the default scheduler slice: {e.Message}");
        }
    }

    private static async Task<int> RunAsync(string path, string controlPath, bool restarting, LogLevel logLevel, CancellationToken token)
    {
        BgpRunSettings settings;
        try
        {
            settings = BgpRunConfigLoader.Load(path, restarting);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        SpeakerThreadPool.Reserve();
        InlineSocketCompletions.Enable();
        if (settings.SchedulerSlice > TimeSpan.Zero)
            RequestSlice(settings.SchedulerSlice);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var loggers = new LineLoggerFactory(Console.Error, logLevel);
        var speaker = new BgpSpeaker(settings.Speaker, loggers: loggers);
        await using (speaker.ConfigureAwait(false))
        {
            foreach (var peer in settings.Peers)
                speaker.AddPeer(peer);
            // Start-up is over: what it read of the executable need not stay resident (the speaker's start warms its hot paths).
            ExecutableImage.DropStartupPages();
            try
            {
                speaker.Start();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                await Console.Error.WriteLineAsync($"cannot listen on {settings.Speaker.Listen}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            foreach (var prefix in settings.Originate)
                speaker.Originate(prefix);
            using var metrics = new BgpMetrics(speaker);
            if (settings.Metrics is { } endPoint)
            {
                try
                {
                    metrics.Serve(endPoint);
                }
                catch (System.Net.HttpListenerException e)
                {
                    await Console.Error.WriteLineAsync($"cannot serve metrics on {endPoint}: {e.Message}").ConfigureAwait(false);
                    return 1;
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(controlPath)!);
            await Console.Out.WriteLineAsync($"tabby bgp: AS{settings.Speaker.As} listening on {speaker.ListenEndPoint?.ToString() ?? "nothing"}, {settings.Peers.Count} peer(s), control {controlPath}{(settings.Metrics is { } m ? $", metrics http://{m}/metrics" : "")}").ConfigureAwait(false);
            await BgpControl.ServeAsync(controlPath, speaker, metrics, stop.Token).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> StatusAsync(string controlPath, string output)
    {
        string answer;
        try
        {
            answer = await BgpControl.RequestAsync(controlPath, output == "prometheus" ? "metrics" : "status").ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"no speaker answers on {controlPath}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        if (output is "json" or "prometheus")
        {
            Console.WriteLine(answer);
            return 0;
        }
        using var document = JsonDocument.Parse(answer);
        var root = document.RootElement;
        var table = new Table().Title($"BGP AS{root.GetProperty("as")} router ID {root.GetProperty("routerId").GetString()}, {root.GetProperty("bestPaths")} best paths")
            .AddColumns("peer", "AS", "state", "uptime", "msgs in/out", "prefixes in/out", "graceful restart", "last error");
        foreach (var peer in root.GetProperty("peers").EnumerateArray())
        {
            var state = peer.GetProperty("state").GetString() ?? string.Empty;
            var families = peer.GetProperty("families").EnumerateArray().Select(f =>
                $"{f.GetProperty("family").GetString()}: {Describe(f)}");
            table.AddRow(
                Markup.Escape(peer.GetProperty("address").GetString() ?? string.Empty),
                $"{peer.GetProperty("as")} {peer.GetProperty("type").GetString()}",
                state == "Established" ? "[green]Established[/]" : Markup.Escape(state),
                peer.GetProperty("uptimeSeconds").ValueKind == JsonValueKind.Null ? "-" : Uptime(peer.GetProperty("uptimeSeconds").GetDouble()),
                $"{peer.GetProperty("messagesIn")}/{peer.GetProperty("messagesOut")}",
                $"{peer.GetProperty("prefixesReceived")}/{peer.GetProperty("prefixesAdvertised")}",
                Markup.Escape(string.Join("\n", families)),
                Markup.Escape(peer.GetProperty("lastError").GetString() ?? string.Empty));
        }
        // Piped output has no terminal width to fit; wrapping at the default 80 columns would split addresses.
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 200;
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Describe(JsonElement family)
    {
        var state = family.GetProperty("gracefulRestart").GetString();
        var stale = family.GetProperty("stalePrefixes").GetInt32();
        var eor = (family.GetProperty("endOfRibReceived").GetBoolean() ? "EoR in" : "") + (family.GetProperty("endOfRibSent").GetBoolean() ? " EoR out" : "");
        return state switch
        {
            "Retained" => $"{stale} stale, peer restarting",
            "AwaitingEndOfRib" => $"{stale} stale, awaiting End-of-RIB",
            _ => $"peer GR {family.GetProperty("peerGracefulRestart").GetString()}{(eor.Length > 0 ? ", " + eor.Trim() : "")}",
        };
    }

    private static string Uptime(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays}d{t.Hours:00}h{t.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Hours:00}:{t.Minutes:00}:{t.Seconds:00}");
    }
}
