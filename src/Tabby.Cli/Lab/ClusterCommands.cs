using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Spectre.Console;
using Tabby.Cli.Resources;
using Tabby.Lab.Cluster;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Probes;
using Tabby.Linux.Netns;
using Tabby.Linux.Processes;

namespace Tabby.Cli.Lab;

/// <summary>`tabby lab up|status|ping|exec|down`: a lab of hosts with real agents and CNI-made workloads, kept by a supervisor process.</summary>
internal static class ClusterCommands
{
    public static void AddTo(Command lab)
    {
        var name = new Option<string>("--name") { Description = "The lab's name (several labs can run side by side)", DefaultValueFactory = _ => "lab", Recursive = true };
        lab.Options.Add(name);
        lab.Subcommands.Add(Up(name));
        lab.Subcommands.Add(Supervise(name));
        lab.Subcommands.Add(Status(name));
        lab.Subcommands.Add(PingCommand(name));
        lab.Subcommands.Add(Exec(name));
    }

    /// <summary>The `down` for a lab made by `up` (a kept demo's namespaces go with --prefix).</summary>
    public static async Task<int> DownAsync(string labName)
    {
        var path = LabStateFiles.State(labName);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"no lab '{labName}' is up ({path} does not exist)").ConfigureAwait(false);
            return 3;
        }

        var state = ClusterState.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false));
        if (Signals.Terminate(state.SupervisorPid))
        {
            var watch = Stopwatch.StartNew();
            while (Directory.Exists($"/proc/{state.SupervisorPid}") && watch.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(50).ConfigureAwait(false);
        }

        // A supervisor that died, or did not finish, leaves its processes and namespaces: remove them by pid and prefix.
        foreach (var host in state.Hosts)
            Signals.Terminate(host.AgentPid);
        var removed = NamespaceSet.DeleteWithPrefix(state.Prefix);
        File.Delete(path);
        CliConsole.Stdout().MarkupLineInterpolated($"lab [bold]{labName}[/] down{(removed.Count > 0 ? $" (cleaned up {removed.Count} namespaces left behind)" : "")}");
        return 0;
    }

    private static Command Up(Option<string> name)
    {
        var hosts = new Option<int>("--hosts") { Description = "Number of hosts", DefaultValueFactory = _ => 2 };
        var workloads = new Option<int>("--workloads") { Description = "Workloads per host, made by the CNI plugin", DefaultValueFactory = _ => 2 };
        var datastore = new Option<string>("--datastore") { Description = "sqlite (embedded) or etcd (started for the lab)", DefaultValueFactory = _ => "sqlite" };
        datastore.AcceptOnlyFromAmong("sqlite", "etcd");
        var pool = new Option<string>("--pool") { Description = "The workload IP pool", DefaultValueFactory = _ => "10.20.0.0/16" };
        var blockSize = new Option<int>("--block-size") { Description = "The pool's block size", DefaultValueFactory = _ => 26 };
        var seed = new Option<bool>("--seed") { Description = "The seed network instead: host0 with 10.20.1.2 and .3, host1 with 10.20.2.2, /24 blocks" };
        var (topology, fabric, racks, router) = TopologyOptions();
        var up = new Command("up", "Build a lab: hosts on an underlay, an agent per host, workloads through the CNI plugin")
        {
            hosts, workloads, datastore, pool, blockSize, seed, topology, fabric, racks, router,
        };
        up.SetAction(async (result, token) =>
        {
            var labName = result.GetValue(name)!;
            string[] specArgs = result.GetValue(seed)
                ? ["--seed", "--datastore", result.GetValue(datastore)!]
                : ["--hosts", $"{result.GetValue(hosts)}", "--workloads", $"{result.GetValue(workloads)}", "--datastore", result.GetValue(datastore)!,
                   "--pool", result.GetValue(pool)!, "--block-size", $"{result.GetValue(blockSize)}", "--topology", result.GetValue(topology)!,
                   "--fabric", result.GetValue(fabric)!, "--racks", $"{result.GetValue(racks)}", "--tor", result.GetValue(router)!];
            return await UpAsync(labName, specArgs, token).ConfigureAwait(false) is null ? 1 : 0;
        });
        return up;
    }

    /// <summary>Starts a supervisor for a lab and waits until it is up; returns its state, or null (after saying why) when it did not come up.</summary>
    public static async Task<ClusterState?> UpAsync(string labName, string[] specArgs, CancellationToken token, bool quiet = false)
    {
        var statePath = LabStateFiles.State(labName);
        if (File.Exists(statePath) && Directory.Exists($"/proc/{ClusterState.Parse(await File.ReadAllTextAsync(statePath, token).ConfigureAwait(false)).SupervisorPid}"))
        {
            await Console.Error.WriteLineAsync($"lab '{labName}' is already up (tabby lab down --name {labName})").ConfigureAwait(false);
            return null;
        }

        Directory.CreateDirectory(LabStateFiles.Directory);
        var log = LabStateFiles.Log(labName);
        File.WriteAllText(log, "");
        string[] argv = ["setsid", .. TabbyCommand.Argv(), "lab", "supervise", "--name", labName, .. specArgs];
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec " + string.Join(' ', argv.Select(DaemonProcess.Quote)) + " >" + DaemonProcess.Quote(log) + " 2>&1 </dev/null");
        using var supervisor = Process.Start(start)!;

        // Show the supervisor's progress until the lab is ready or the supervisor gives up.
        var shown = 0;
        while (true)
        {
            var lines = (await File.ReadAllTextAsync(log, token).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines.Skip(shown).Where(_ => !quiet))
                Console.WriteLine(line);
            shown = lines.Length;
            if (File.Exists(statePath))
                break;
            if (supervisor.HasExited)
            {
                if (quiet)
                    await Console.Error.WriteLineAsync(await File.ReadAllTextAsync(log, token).ConfigureAwait(false)).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"the lab did not come up (log: {log})").ConfigureAwait(false);
                return null;
            }

            await Task.Delay(100, token).ConfigureAwait(false);
        }

        if (!quiet)
            CliConsole.Stdout().MarkupLineInterpolated($"look: [bold]tabby lab status[/], [bold]tabby lab ping[/], [bold]tabby lab exec host0 -- ip route[/]; remove: [bold]tabby lab down[/]");
        return ClusterState.Parse(await File.ReadAllTextAsync(statePath, token).ConfigureAwait(false));
    }

    private static Command Supervise(Option<string> name)
    {
        var hosts = new Option<int>("--hosts") { DefaultValueFactory = _ => 2 };
        var workloads = new Option<int>("--workloads") { DefaultValueFactory = _ => 2 };
        var datastore = new Option<string>("--datastore") { DefaultValueFactory = _ => "sqlite" };
        var pool = new Option<string>("--pool") { DefaultValueFactory = _ => "10.20.0.0/16" };
        var blockSize = new Option<int>("--block-size") { DefaultValueFactory = _ => 26 };
        var seed = new Option<bool>("--seed");
        var (topology, fabric, racks, router) = TopologyOptions();
        var supervise = new Command("supervise", "Build and hold a lab until SIGTERM (started by `tabby lab up`)")
        {
            hosts, workloads, datastore, pool, blockSize, seed, topology, fabric, racks, router,
        };
        supervise.Hidden = true;
        supervise.SetAction((result, token) => LabSupervisor.RunAsync(result.GetValue(name)!, result.GetValue(seed)
            ? ClusterSpec.Seed with { Datastore = result.GetValue(datastore) == "etcd" ? ClusterDatastore.Etcd : ClusterDatastore.Sqlite }
            : new ClusterSpec
        {
            Hosts = result.GetValue(hosts),
            WorkloadsPerHost = result.GetValue(workloads),
            Datastore = result.GetValue(datastore) == "etcd" ? ClusterDatastore.Etcd : ClusterDatastore.Sqlite,
            Pool = result.GetValue(pool)!,
            BlockSize = result.GetValue(blockSize),
            Topology = result.GetValue(topology) switch { "reflector" => ClusterTopology.Reflector, "tor" => ClusterTopology.Tor, _ => ClusterTopology.Mesh },
            Design = result.GetValue(fabric) switch { "as-per-server" => TorDesign.AsPerServer, "downward-default" => TorDesign.DownwardDefault, _ => TorDesign.AsPerRack },
            Racks = result.GetValue(racks),
            Router = result.GetValue(router) == "bird" ? TorRouter.Bird : TorRouter.Frr,
        }, token));
        return supervise;
    }

    private static (Option<string> Topology, Option<string> Fabric, Option<int> Racks, Option<string> Router) TopologyOptions()
    {
        var topology = new Option<string>("--topology") { Description = "mesh (every agent peers with every other), reflector (two route reflectors), tor (racks behind top-of-rack routers)", DefaultValueFactory = _ => "mesh" };
        topology.AcceptOnlyFromAmong("mesh", "reflector", "tor");
        var fabric = new Option<string>("--fabric") { Description = "With --topology tor: as-per-rack, as-per-server or downward-default", DefaultValueFactory = _ => "as-per-rack" };
        fabric.AcceptOnlyFromAmong("as-per-rack", "as-per-server", "downward-default");
        var racks = new Option<int>("--racks") { Description = "With --topology tor: racks (hosts are spread evenly)", DefaultValueFactory = _ => 2 };
        var router = new Option<string>("--tor") { Description = "With --topology tor: the routers' daemon, frr or bird", DefaultValueFactory = _ => "frr" };
        router.AcceptOnlyFromAmong("frr", "bird");
        return (topology, fabric, racks, router);
    }

    private static Command Status(Option<string> name)
    {
        var status = new Command("status", "Show the lab's hosts, agents and workloads");
        status.SetAction(async (result, token) =>
        {
            if (await LoadAsync(result.GetValue(name)!).ConfigureAwait(false) is not { } state)
                return 3;
            var table = new Table().AddColumns("HOST", "ADDRESS", "AGENT", "SYNC", "ENDPOINTS", "BLOCKS");
            foreach (var host in state.Hosts)
            {
                try
                {
                    var report = await Tabby.Node.Status.ControlServer.QueryAsync(host.ControlSocket, token).ConfigureAwait(false);
                    table.AddRow(host.Name, host.Address, $"pid {host.AgentPid}", report.SyncState,
                        $"{report.Endpoints.Count(e => e.Programmed)}/{report.Endpoints.Count}", string.Join(" ", report.Blocks));
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or JsonException)
                {
                    table.AddRow(host.Name, host.Address, $"pid {host.AgentPid}", "[red]not answering[/]", "", "");
                }
            }

            CliConsole.Stdout().Write(table);
            var workloads = new Table().AddColumns("WORKLOAD", "HOST", "ADDRESS", "NAMESPACE");
            foreach (var w in state.Workloads)
                workloads.AddRow(w.Name, w.Host, w.Address, w.Namespace);
            CliConsole.Stdout().Write(workloads);
            CliConsole.Stdout().MarkupLineInterpolated($"datastore {state.Datastore}");
            return 0;
        });
        return status;
    }

    private static Command PingCommand(Option<string> name)
    {
        var ping = new Command("ping", "Ping every workload from every workload and print the matrix (TTL of the reply)");
        ping.SetAction(async (result, token) =>
        {
            if (await LoadAsync(result.GetValue(name)!).ConfigureAwait(false) is not { } state)
                return 3;
            var targets = state.Workloads.Select(w => (w.Name, Address: IPAddress.Parse(w.Address))).ToList();
            var results = new Dictionary<(string From, string To), PingResult>();
            using var throttle = new SemaphoreSlim(16);
            await Task.WhenAll(state.Workloads.SelectMany(from => targets.Where(t => t.Name != from.Name).Select(async to =>
            {
                await throttle.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    using var ns = NetworkNamespace.Open(from.Namespace);
                    var r = await Task.Run(() => Ping.Once(ns, to.Address, TimeSpan.FromSeconds(2)), token).ConfigureAwait(false);
                    lock (results)
                        results[(from.Name, to.Name)] = r;
                }
                finally
                {
                    throttle.Release();
                }
            }))).ConfigureAwait(false);

            var table = new Table().AddColumn("FROM \\ TO");
            foreach (var t in targets)
                table.AddColumn(t.Name);
            foreach (var from in state.Workloads)
            {
                table.AddRow([from.Name, .. targets.Select(t => t.Name == from.Name ? "-"
                    : results[(from.Name, t.Name)] is { Success: true } ok ? $"ttl {ok.Ttl}" : "[red]x[/]")]);
            }

            CliConsole.Stdout().Write(table);
            var failed = results.Values.Count(r => !r.Success);
            CliConsole.Stdout().MarkupLineInterpolated($"{results.Count - failed} of {results.Count} pairs reach each other");
            return failed == 0 ? 0 : 1;
        });
        return ping;
    }

    private static Command Exec(Option<string> name)
    {
        var target = new Argument<string>("TARGET") { Description = "A host (host0) or a workload (host0-w1)" };
        var command = new Argument<string[]>("COMMAND") { Description = "The command, after --", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec", "Run a command inside a host's or a workload's namespace") { target, command };
        exec.SetAction(async (result, token) =>
        {
            if (await LoadAsync(result.GetValue(name)!).ConfigureAwait(false) is not { } state)
                return 3;
            var which = result.GetValue(target)!;
            var ns = state.Hosts.FirstOrDefault(h => h.Name == which)?.Namespace ?? state.Workloads.FirstOrDefault(w => w.Name == which)?.Namespace;
            if (ns is null)
            {
                await Console.Error.WriteLineAsync($"no host or workload '{which}' in this lab ({string.Join(", ", state.Hosts.Select(h => h.Name).Concat(state.Workloads.Select(w => w.Name)))})").ConfigureAwait(false);
                return 2;
            }

            var start = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (var arg in new[] { "netns", "exec", ns }.Concat(result.GetValue(command)!))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(token).ConfigureAwait(false);
            return process.ExitCode;
        });
        return exec;
    }

    private static async Task<ClusterState?> LoadAsync(string labName)
    {
        var path = LabStateFiles.State(labName);
        if (File.Exists(path))
            return ClusterState.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false));
        await Console.Error.WriteLineAsync($"no lab '{labName}' is up (tabby lab up)").ConfigureAwait(false);
        return null;
    }
}
