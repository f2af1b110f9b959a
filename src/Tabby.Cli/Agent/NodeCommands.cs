using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tabby.Cli.Resources;
using Tabby.Node.Hosting;
using Tabby.Node.Status;

namespace Tabby.Cli.Agent;

/// <summary>`tabby node run|status`: the per-host agent, and what it reports.</summary>
internal static class NodeCommands
{
    private const string DefaultControl = "/run/tabby/node.sock";

    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var node = new Command("node", "Run or query the per-host agent");
        node.Subcommands.Add(Run(datastore, environment));
        node.Subcommands.Add(Status());
        return node;
    }

    private static Command Run(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var name = new Option<string>("--name") { Description = "This node's name (default: the hostname)" };
        var netns = new Option<string>("--netns") { Description = "Program this named network namespace (/run/netns/NAME) instead of the one the agent runs in" };
        var hostNetwork = new Option<bool>("--host-network") { Description = "Program the namespace the agent runs in (a real host); required without --netns" };
        var ip = new Option<string>("--ip") { Description = "IPv4 address: autodetect, none, or ADDR/LEN", DefaultValueFactory = _ => "autodetect" };
        var ip6 = new Option<string>("--ip6") { Description = "IPv6 address: none, autodetect, or ADDR/LEN", DefaultValueFactory = _ => "none" };
        var method = new Option<string>("--ip-autodetection-method") { Description = "first-found, interface=REGEX, skip-interface=REGEX, can-reach=ADDR, cidr=CIDR[,CIDR]", DefaultValueFactory = _ => "first-found" };
        var method6 = new Option<string>("--ip6-autodetection-method") { Description = "As --ip-autodetection-method, for IPv6", DefaultValueFactory = _ => "first-found" };
        var pool = new Option<string>("--default-ipv4-pool") { Description = "The IPv4 pool to create when none exists", DefaultValueFactory = _ => "192.168.0.0/16" };
        var pool6 = new Option<string>("--default-ipv6-pool") { Description = "The IPv6 pool to create when none exists (default: none)" };
        var blockSize = new Option<int>("--default-pool-block-size") { Description = "Block size of a default pool (default: 26 for IPv4, 122 for IPv6)" };
        var noPool = new Option<bool>("--no-default-pool") { Description = "Never create a default pool" };
        var healthPort = new Option<int>("--health-port") { Description = "Port for /liveness, /readiness and /metrics in the agent's namespace (0: off)", DefaultValueFactory = _ => 9099 };
        var healthHost = new Option<string>("--health-host") { Description = "Address for that server", DefaultValueFactory = _ => "127.0.0.1" };
        var control = new Option<string>("--control") { Description = "Control socket for `tabby node status`", DefaultValueFactory = _ => DefaultControl };
        var nodenameFile = new Option<string>("--nodename-file") { Description = "Where to write the node name for the CNI plugin", DefaultValueFactory = _ => "/var/lib/tabby/nodename" };
        var mtuFile = new Option<string>("--mtu-file") { Description = "Where to write the MTU new workloads should get, for the CNI plugin (the VXLAN device's while an overlay is in use)", DefaultValueFactory = _ => "/var/lib/tabby/mtu" };
        var resync = new Option<double>("--resync-seconds") { Description = "Read the dataplane back and rewrite it this often", DefaultValueFactory = _ => 30 };
        var grace = new Option<double>("--empty-block-grace-seconds") { Description = "Give a block back to its pool after it stayed empty this long", DefaultValueFactory = _ => 300 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every route programmed" };
        var withdraw = new Option<bool>("--withdraw-on-stop") { Description = "On stop, end BGP sessions with a Cease so neighbours drop this node's routes at once (default: they keep forwarding under graceful restart until the agent is back)" };
        var hold = new Option<double>("--bgp-hold-seconds") { Description = "The BGP hold time proposed to neighbours: how soon a silent one (a cut link) is noticed", DefaultValueFactory = _ => 90 };
        var secrets = new Option<string>("--secrets-dir") { Description = "Where BGP passwords named by secretKeyRef are read from (DIR/NAME/KEY)", DefaultValueFactory = _ => "/etc/tabby/secrets" };
        var run = new Command("run", "Run the agent until SIGTERM: register the node, then keep the kernel matching the datastore")
        {
            name, netns, hostNetwork, ip, ip6, method, method6, pool, pool6, blockSize, noPool, healthPort, healthHost, control, nodenameFile, mtuFile, resync, grace, verbose, secrets, hold, withdraw,
        };
        run.SetAction(async (result, token) =>
        {
            var ns = result.GetValue(netns);
            if (ns is null && !result.GetValue(hostNetwork))
            {
                await Console.Error.WriteLineAsync("tabby node run: give --netns NAME (labs, tests), or --host-network to program this host's own network").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            if (ns is not null && result.GetValue(hostNetwork))
            {
                await Console.Error.WriteLineAsync("tabby node run: --netns and --host-network exclude each other").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            DatastoreSetting store;
            try
            {
                store = DatastoreLocator.Resolve(result.GetValue(datastore), environment);
                Tabby.Datastore.DatastoreConnectionString.Parse(store.ConnectionString);
            }
            catch (Exception e) when (e is CliUsageException or FormatException)
            {
                await Console.Error.WriteLineAsync($"tabby node run: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var options = new AgentOptions
            {
                NodeName = result.GetValue(name) ?? Environment.MachineName,
                Namespace = ns,
                HostNetwork = result.GetValue(hostNetwork),
                Datastore = store.ConnectionString,
                IPv4 = result.GetValue(ip)!,
                IPv6 = result.GetValue(ip6)!,
                AutodetectionMethod = result.GetValue(method)!,
                AutodetectionMethodV6 = result.GetValue(method6)!,
                DefaultIPv4Pool = result.GetValue(noPool) ? null : result.GetValue(pool),
                DefaultIPv6Pool = result.GetValue(noPool) ? null : result.GetValue(pool6),
                DefaultPoolBlockSize = result.GetValue(blockSize),
                HealthHost = result.GetValue(healthHost)!,
                HealthPort = result.GetValue(healthPort),
                ControlSocket = result.GetValue(control)!,
                NodenameFile = result.GetValue(nodenameFile),
                MtuFile = result.GetValue(mtuFile),
                ResyncInterval = TimeSpan.FromSeconds(result.GetValue(resync)),
                EmptyBlockGrace = TimeSpan.FromSeconds(result.GetValue(grace)),
                SecretsDirectory = result.GetValue(secrets)!,
                BgpHoldTime = TimeSpan.FromSeconds(result.GetValue(hold)),
                WithdrawOnStop = result.GetValue(withdraw),
            };
            using var host = AgentHost.Build(options, result.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            try
            {
                await host.RunAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or Tabby.Linux.Netns.NamespaceException or Tabby.Datastore.DatastoreException)
            {
                await Console.Error.WriteLineAsync($"tabby node run: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            return Environment.ExitCode;
        });
        return run;
    }

    private static Command Status()
    {
        var control = new Option<string>("--control") { Description = "Control socket of the running agent", DefaultValueFactory = _ => DefaultControl };
        var output = new Option<string>("-o", "--output") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var status = new Command("status", "Show the running agent's sync state, local endpoints and routes") { control, output };
        status.SetAction(async (result, token) =>
        {
            var path = result.GetValue(control)!;
            NodeStatusReport report;
            try
            {
                report = await ControlServer.QueryAsync(path, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or JsonException)
            {
                await Console.Error.WriteLineAsync($"tabby node status: no agent answers on {path}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            if (result.GetValue(output) == "json")
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, StatusJson.Default.NodeStatusReport)).ConfigureAwait(false);
                return 0;
            }

            Write(report);
            return 0;
        });
        return status;
    }

    private static void Write(NodeStatusReport report)
    {
        var console = CliConsole.Stdout();
        console.WriteLine($"node {report.Node}{(report.Namespace is null ? "" : $" (namespace {report.Namespace})")}, address {report.Address ?? "none"}");
        console.WriteLine($"datastore {report.Datastore}: {report.SyncState}; {(report.Ready ? "ready" : "not ready")}{(report.LastError is null ? "" : $" ({report.LastError})")}");
        console.WriteLine($"last apply {report.LastApply?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}; blocks: {(report.Blocks.Count == 0 ? "none" : string.Join(", ", report.Blocks))}");
        if (report.Bgp is { } off)
        {
            console.WriteLine($"BGP: not running ({off})");
        }
        else
        {
            var unresolved = report.RoutesUnresolved > 0 ? $", {report.RoutesUnresolved} of them not installed (next hop unresolved)" : "";
            console.WriteLine($"BGP: {report.RoutesExported} prefixes announced, {report.RoutesLearned} routes learned{unresolved}");
            var peers = new Table().AddColumns("PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO", "ROUTES IN", "ROUTES OUT");
            foreach (var p in report.Peers)
                peers.AddRow(p.Address, p.Type, p.State, p.Since?.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "", Markup.Escape(p.Info), $"{p.RoutesReceived}", $"{p.RoutesAdvertised}");
            console.Write(peers);
        }

        if (report.Vxlan is { } vxlan)
            console.WriteLine(Markup.Escape($"VXLAN: {vxlan}"));
        if (report.OverlayProblem is { } problem)
            console.WriteLine(Markup.Escape($"overlay problem: {problem}"));

        var endpoints = new Table().AddColumns("ENDPOINT", "INTERFACE", "ADDRESSES", "PROGRAMMED");
        foreach (var e in report.Endpoints)
            endpoints.AddRow(Markup.Escape(e.Endpoint), e.Interface, string.Join(", ", e.Addresses), e.Programmed ? "yes" : "no");
        console.Write(endpoints);
        var routes = new Table().AddColumns("DESTINATION", "KIND", "TARGET");
        foreach (var r in report.Routes)
            routes.AddRow(r.Destination, r.Kind, Markup.Escape(r.Target));
        console.Write(routes);
    }
}
