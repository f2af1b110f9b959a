using System.Diagnostics;
using System.Globalization;
using System.Net;
using Spectre.Console;
using Tabby.Cli.Rendering;
using Tabby.Cli.Resources;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Linux.Sysctls;
using Tabby.Node.Status;

namespace Tabby.Cli.Lab;

/// <summary>The demo: the seed network built by real agents, the CNI plugin and BGP, proven with ping and shown step by step.</summary>
internal static class SeedDemo
{
    private const string LabName = "demo";

    public static async Task<int> RunAsync(bool keep, CancellationToken token)
    {
        var console = CliConsole.Stdout();
        console.MarkupLine("[bold]Tabby: the seed network, built by real agents[/]");
        if (keep)
        {
            // Kept labs belong to a supervisor process, so they outlive this command.
            var state = await ClusterCommands.UpAsync(LabName, ["--seed"], token, quiet: false).ConfigureAwait(false);
            if (state is null)
                return 1;
            var ok = await ShowAsync(console, state, token).ConfigureAwait(false);
            ShowHowToLookInside(console, state);
            return ok ? 0 : 1;
        }

        try
        {
            await using var cluster = await LabCluster.StartAsync(ClusterSpec.Seed, line => console.MarkupLineInterpolated($"[grey]{line}[/]"), token).ConfigureAwait(false);
            var ok = await ShowAsync(console, ClusterState.Parse(cluster.DescribeJson(Environment.ProcessId)), token).ConfigureAwait(false);
            console.MarkupLine("[grey]tearing down: agents stopped by pid, namespaces removed (--keep leaves it running)[/]");
            return ok ? 0 : 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            console.MarkupLineInterpolated($"[red]demo failed:[/] {e.Message}");
            return 1;
        }
    }

    private static async Task<bool> ShowAsync(IAnsiConsole console, ClusterState state, CancellationToken token)
    {
        var host0 = state.Hosts.Single(h => h.Name == "host0");
        var host1 = state.Hosts.Single(h => h.Name == "host1");
        using var ns0 = NetworkNamespace.Open(host0.Namespace);
        using var ns1 = NetworkNamespace.Open(host1.Namespace);
        using var netlink0 = RtNetlinkClient.Open(ns0);
        using var netlink1 = RtNetlinkClient.Open(ns1);

        var hosts = new Table().Title("hosts (routers), each with its agent, and workloads made by the CNI plugin")
            .AddColumns("host", "underlay", "agent", "workload", "address");
        foreach (var h in state.Hosts)
        {
            foreach (var w in state.Workloads.Where(w => w.Host == h.Name))
                hosts.AddRow(h.Name, h.Address, $"tabby node run (pid {h.AgentPid})", w.Name, w.Address + "/32");
        }

        console.Write(hosts);
        console.MarkupLineInterpolated($"namespaces {state.Prefix}*; datastore {state.Datastore}");

        // BGP carries each host's block to the other; wait for it rather than for a guess of how long it takes.
        var converged = await WaitAsync(() =>
            HasRoute(netlink0, "10.20.2.0/24", host1.Address) && HasRoute(netlink1, "10.20.1.0/24", host0.Address), TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
        if (!converged)
            console.MarkupLine("[red]the hosts did not learn each other's blocks within 30 s[/]");

        var peers = new Table().Title("BGP sessions (tabby node status on each host)").AddColumns("host", "peer", "type", "state", "since", "routes in", "routes out");
        foreach (var h in state.Hosts)
        {
            var status = await ControlServer.QueryAsync(h.ControlSocket, token).ConfigureAwait(false);
            foreach (var p in status.Peers)
                peers.AddRow(h.Name, p.Address, p.Type, p.Info, p.Since?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "", $"{p.RoutesReceived}", $"{p.RoutesAdvertised}");
        }

        console.Write(peers);

        var source = state.Workloads.Single(w => w.Address == "10.20.1.2");
        using var sourceNs = NetworkNamespace.Open(source.Namespace);
        var pings = new Table().Title("pings from workload 10.20.1.2 (its only route: default via 169.254.1.1)")
            .AddColumns("target", "what it is", "result", "ttl", "time");
        var ok = converged;
        foreach (var (target, what, ttl) in new[]
                 {
                     ("10.20.2.2", "workload on host1: two routers on the way, TTL 62", 62),
                     ("192.168.0.3", "host1 itself: one router, TTL 63", 63),
                     ("10.20.1.3", "workload on the same host: one router, TTL 63", 63),
                 })
        {
            var result = Ping.Once(sourceNs, IPAddress.Parse(target));
            ok &= result.Success && result.Ttl == ttl;
            pings.AddRow(new Text(target), new Text(what), new Markup(result.Success ? "[green]reply[/]" : "[red]no reply[/]"),
                new Text(result.Ttl?.ToString(CultureInfo.InvariantCulture) ?? "-"), new Text(result.RoundTripMs is { } ms ? $"{ms:F3} ms" : "-"));
        }

        console.Write(pings);
        ShowRoutes(console, "host0", host0.Address, netlink0);
        ShowPacketWalk(console, state, sourceNs, ns0, netlink0, netlink1);
        return ok;
    }

    private static void ShowRoutes(IAnsiConsole console, string name, string address, RtNetlinkClient netlink)
    {
        var names = netlink.Links.List().ToDictionary(l => l.Index, l => l.Name);
        var table = new Table().Title($"{name} ({address}) routing table, read back over rtnetlink").AddColumns("destination", "type", "via", "dev", "proto", "scope", "");
        foreach (var route in netlink.Routes.List(RouteFilter.MainTable with { Family = System.Net.Sockets.AddressFamily.InterNetwork }).OrderBy(r => r.Destination))
        {
            var learned = route.Protocol == RouteProtocol.Tabby && route.Gateway is not null;
            table.AddRow(
                route.Destination.Length == 0 ? "default" : route.Destination.ToString(),
                route.Type.ToString().ToLowerInvariant(),
                route.Gateway?.ToString() ?? "",
                route.InterfaceIndex != 0 && names.TryGetValue(route.InterfaceIndex, out var dev) ? dev : "",
                ProtocolNames.Name(route.Protocol),
                route.Scope.ToString().ToLowerInvariant(),
                learned ? "learned over BGP" : route.Protocol == RouteProtocol.Tabby ? (route.Type == RouteType.Blackhole ? "this host's block" : "local workload") : "");
        }

        console.Write(table);
    }

    private static void ShowPacketWalk(IAnsiConsole console, ClusterState state, NetworkNamespace workload, NetworkNamespace host0, RtNetlinkClient netlink0, RtNetlinkClient netlink1)
    {
        using var inWorkload = RtNetlinkClient.Open(workload);
        var defaultRoute = inWorkload.Routes.List(RouteFilter.MainTable).FirstOrDefault(r => r.Destination.Length == 0);
        var gatewayMac = inWorkload.Neighbours.List().FirstOrDefault(n => Equals(n.Address, IPAddress.Parse("169.254.1.1")))?.Mac;
        var hostSide = netlink0.Links.List().First(l => l.Name.StartsWith("cali", StringComparison.Ordinal) &&
            netlink0.Routes.List(RouteFilter.Tabby).Any(r => r.InterfaceIndex == l.Index && r.Destination == IpPrefix.Parse("10.20.1.2/32")));
        var proxyArp = new Sysctl(host0).Read($"net/ipv4/conf/{hostSide.Name}/proxy_arp");
        var learned = netlink0.Routes.List(RouteFilter.Tabby).FirstOrDefault(r => r.Destination == IpPrefix.Parse("10.20.2.0/24"));
        var names1 = netlink1.Links.List().ToDictionary(l => l.Index, l => l.Name);
        var delivery = netlink1.Routes.List(RouteFilter.Tabby).FirstOrDefault(r => r.Destination == IpPrefix.Parse("10.20.2.2/32"));

        var walk = new Table().Title("the packet walk, 10.20.1.2 -> 10.20.2.2, with what each step rests on").AddColumns("step", "where", "what the kernel holds");
        walk.AddRow("1", "workload 10.20.1.2", $"default via {defaultRoute?.Gateway} onlink: its only route; the gateway is an address nobody has");
        walk.AddRow("2", $"host0 {hostSide.Name}", $"proxy_arp={proxyArp}: host0 answers ARP for 169.254.1.1 with its own MAC ({gatewayMac?.ToString() ?? hostSide.Mac?.ToString()}), so layer 2 ends here");
        walk.AddRow("3", "host0 FIB", learned is null ? "[red]no route to 10.20.2.0/24[/]" : $"10.20.2.0/24 via {learned.Gateway} proto tabby: host1's block, one route for all its workloads, learned over BGP");
        walk.AddRow("4", "host1 FIB", delivery is null ? "[red]no route to 10.20.2.2[/]" : $"10.20.2.2 dev {names1.GetValueOrDefault(delivery.InterfaceIndex)} scope link proto tabby: the agent's route to its local workload");
        walk.AddRow("5", "workload 10.20.2.2", "replies the same way back: TTL 64 - 2 routers = 62");
        console.Write(walk);
    }

    private static void ShowHowToLookInside(IAnsiConsole console, ClusterState state)
    {
        var host0 = state.Hosts.Single(h => h.Name == "host0");
        var workload = state.Workloads.Single(w => w.Address == "10.20.1.2");
        console.MarkupLine("[bold]kept.[/] Look inside with:");
        // Plain writes: commands must stay on one line to be pasted, whatever the terminal width.
        var tabby = TabbyCommandLine();
        Console.WriteLine($"  {tabby} lab status --name {LabName}");
        Console.WriteLine($"  {tabby} lab ping --name {LabName}");
        Console.WriteLine($"  {tabby} node status --control {host0.ControlSocket}");
        Console.WriteLine($"  ip -n {host0.Namespace} route");
        Console.WriteLine($"  ip netns exec {workload.Namespace} ping -c1 10.20.2.2");
        Console.WriteLine($"Remove it with:  {tabby} lab down --name {LabName}");
    }

    private static bool HasRoute(RtNetlinkClient netlink, string destination, string via)
    {
        var prefix = IpPrefix.Parse(destination);
        var gateway = IPAddress.Parse(via);
        return netlink.Routes.List(RouteFilter.Tabby).Any(r => r.Destination == prefix && Equals(r.Gateway, gateway));
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken token)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
                return false;
            await Task.Delay(20, token).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>How the user can start this command: <c>tabby</c> once <c>./run install</c> put it on the PATH, else this very build.</summary>
    private static string TabbyCommandLine()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "tabby")));
        if (onPath)
            return "tabby";
        // The published native executable is the process itself; the plain build runs under `dotnet`.
        var self = Environment.ProcessPath ?? "tabby";
        var native = Path.GetFileName(self) != "dotnet";
        var path = Path.GetRelativePath(Environment.CurrentDirectory, native ? self : Path.Combine(AppContext.BaseDirectory, "tabby.dll"));
        var quoted = path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
        return native ? quoted : $"dotnet {quoted}";
    }
}
