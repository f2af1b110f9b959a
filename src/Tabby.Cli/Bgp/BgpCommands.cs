using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;
using Tabby.Bgp.Config;
using Tabby.Bgp.Speaker;

namespace Tabby.Cli.Bgp;

/// <summary>`tabby bgp run|status`: the speaker on its own, for tests, benchmarks and route servers.</summary>
internal static class BgpCommands
{
    private const string DefaultControl = "/run/tabby/bgp.sock";

    public static Command Create()
    {
        var bgp = new Command("bgp", "Run or query a standalone BGP speaker");

        var config = new Option<FileInfo>("--config") { Description = "The speaker's YAML file (router ID, AS, listen address, peers, originated prefixes)", Required = true };
        var control = new Option<string>("--control") { Description = "Control socket for `tabby bgp status`", DefaultValueFactory = _ => DefaultControl };
        var restarting = new Option<bool>("--restarting") { Description = "This start follows a crash: set the graceful-restart R bit so peers keep our routes until End-of-RIB" };
        var run = new Command("run", "Run a BGP speaker until SIGTERM or Ctrl-C") { config, control, restarting };
        run.SetAction((result, token) => RunAsync(result.GetValue(config)!.FullName, result.GetValue(control)!, result.GetValue(restarting), token));
        bgp.Subcommands.Add(run);

        var output = new Option<string>("-o", "--output") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var statusControl = new Option<string>("--control") { Description = "Control socket of the running speaker", DefaultValueFactory = _ => DefaultControl };
        var status = new Command("status", "Show the running speaker's peers") { statusControl, output };
        status.SetAction((result, _) => StatusAsync(result.GetValue(statusControl)!, result.GetValue(output)!));
        bgp.Subcommands.Add(status);
        return bgp;
    }

    private static async Task<int> RunAsync(string path, string controlPath, bool restarting, CancellationToken token)
    {
        BgpSpeakerConfig speakerConfig;
        IReadOnlyList<BgpPeerConfig> peers;
        IReadOnlyList<Core.Addressing.IpPrefix> originate;
        try
        {
            (speakerConfig, peers, originate) = BgpRunConfigLoader.Load(path, restarting);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var speaker = new BgpSpeaker(speakerConfig);
        await using (speaker.ConfigureAwait(false))
        {
            foreach (var peer in peers)
                speaker.AddPeer(peer);
            try
            {
                speaker.Start();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                await Console.Error.WriteLineAsync($"cannot listen on {speakerConfig.Listen}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            foreach (var prefix in originate)
                speaker.Originate(prefix);
            Directory.CreateDirectory(Path.GetDirectoryName(controlPath)!);
            await Console.Out.WriteLineAsync($"tabby bgp: AS{speakerConfig.As} listening on {speaker.ListenEndPoint?.ToString() ?? "nothing"}, {peers.Count} peer(s), control {controlPath}").ConfigureAwait(false);
            await BgpControl.ServeAsync(controlPath, speaker, stop.Token).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> StatusAsync(string controlPath, string output)
    {
        string json;
        try
        {
            json = await BgpControl.RequestAsync(controlPath, "status").ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"no speaker answers on {controlPath}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        if (output == "json")
        {
            Console.WriteLine(json);
            return 0;
        }
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var table = new Table().Title($"BGP AS{root.GetProperty("as")} router ID {root.GetProperty("routerId").GetString()}")
            .AddColumns("peer", "AS", "state", "up since", "received", "advertised", "stale", "last error");
        foreach (var peer in root.GetProperty("peers").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(peer.GetProperty("address").GetString() ?? string.Empty),
                peer.GetProperty("as").ToString(),
                peer.GetProperty("state").GetString() == "Established" ? "[green]Established[/]" : Markup.Escape(peer.GetProperty("state").GetString() ?? string.Empty),
                peer.GetProperty("establishedAt").ValueKind == JsonValueKind.Null ? "-" : peer.GetProperty("establishedAt").GetDateTimeOffset().ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                peer.GetProperty("prefixesReceived").ToString(),
                peer.GetProperty("prefixesAdvertised").ToString(),
                peer.GetProperty("stalePrefixes").ToString(),
                Markup.Escape(peer.GetProperty("lastError").GetString() ?? string.Empty));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
