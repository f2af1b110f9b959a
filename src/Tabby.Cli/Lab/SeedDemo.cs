using System.Net;
using Spectre.Console;
using Tabby.Cli.Rendering;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Probes;
using Tabby.Lab.Topology;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Cli.Lab;

/// <summary>The demo: the seed topology built by Tabby's own netlink code, proven with ping and shown route by route.</summary>
internal static class SeedDemo
{
    public static int Run(bool keep)
    {
        var namespaces = new NamespaceSet("demo");
        var kept = false;
        try
        {
            AnsiConsole.Write(new Rule("[bold]Tabby seed topology[/]").LeftJustified());
            using var lab = LabNetwork.Build(LabSpec.Seed, namespaces);
            lab.AddStaticRoutes();
            ShowHosts(lab);
            var ok = ShowPings(lab);
            foreach (var host in lab.Hosts)
                ShowRoutes(host);
            if (keep)
            {
                kept = true;
                ShowHowToLookInside(lab);
            }
            else
            {
                AnsiConsole.MarkupLine("[grey]tearing down (use --keep to leave it running)[/]");
            }
            return ok ? 0 : 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]demo failed:[/] {e.Message}");
            return 1;
        }
        finally
        {
            if (!kept)
                namespaces.Dispose();
        }
    }

    private static void ShowHosts(LabNetwork lab)
    {
        AnsiConsole.MarkupLineInterpolated($"namespaces: [bold]{lab.Namespaces.Prefix}*[/] (fabric bridge {lab.Spec.FabricAddress}, one namespace per host and per workload)");
        var table = new Table().Title("hosts (routers) and their workloads").AddColumns("host", "underlay", "block", "workload", "host-side veth (proxy_arp)");
        foreach (var host in lab.Hosts)
        {
            foreach (var workload in host.Workloads)
                table.AddRow(host.Name, host.Address.ToString(), host.Block.ToString(), workload.Address + "/32", workload.HostInterface);
        }
        AnsiConsole.Write(table);
    }

    private static bool ShowPings(LabNetwork lab)
    {
        var source = lab.Workload(IPAddress.Parse("10.20.1.2"));
        var table = new Table().Title($"pings from workload {source.Address} (its only route: default via 169.254.1.1 onlink)")
            .AddColumns("target", "what it is", "result", "ttl", "time");
        var ok = true;
        foreach (var (target, what) in new[]
                 {
                     ("10.20.2.2", "workload on host1: two routers, TTL 62"),
                     ("192.168.0.3", "host1 itself: one router, TTL 63"),
                     ("10.20.1.3", "workload on the same host: one router, TTL 63"),
                 })
        {
            var result = Ping.Once(source.Namespace, IPAddress.Parse(target));
            ok &= result.Success;
            table.AddRow(
                new Text(target),
                new Text(what),
                new Markup(result.Success ? "[green]reply[/]" : "[red]no reply[/]"),
                new Text(result.Ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                new Text(result.RoundTripMs is { } ms ? $"{ms:F3} ms" : "-"));
            if (!result.Success)
                AnsiConsole.WriteLine(result.Output);
        }
        AnsiConsole.Write(table);
        return ok;
    }

    private static void ShowRoutes(LabHost host)
    {
        var names = host.Netlink.Links.List().ToDictionary(l => l.Index, l => l.Name);
        var table = new Table().Title($"{host.Name} ({host.Address}) main routing table, read back over rtnetlink")
            .AddColumns("destination", "type", "via", "dev", "proto", "scope");
        foreach (var route in host.Netlink.Routes.List(RouteFilter.MainTable with { Family = System.Net.Sockets.AddressFamily.InterNetwork }).OrderBy(r => r.Destination))
        {
            table.AddRow(
                route.Destination.Length == 0 ? "default" : route.Destination.ToString(),
                route.Type.ToString().ToLowerInvariant(),
                route.Gateway?.ToString() ?? string.Empty,
                route.InterfaceIndex != 0 && names.TryGetValue(route.InterfaceIndex, out var dev) ? dev : string.Empty,
                ProtocolNames.Name(route.Protocol),
                route.Scope.ToString().ToLowerInvariant());
        }
        AnsiConsole.Write(table);
    }

    private static void ShowHowToLookInside(LabNetwork lab)
    {
        var host0 = lab.Host("host0");
        var workload = host0.Workloads[0];
        AnsiConsole.MarkupLine("[bold]kept.[/] Look inside with:");
        // Plain writes: commands must stay on one line to be pasted, whatever the terminal width.
        Console.WriteLine($"  ip netns list | grep {lab.Namespaces.Prefix}");
        Console.WriteLine($"  ip -n {host0.Namespace.Name} route");
        Console.WriteLine($"  ip -n {host0.Namespace.Name} neigh");
        Console.WriteLine($"  ip netns exec {host0.Namespace.Name} sysctl net.ipv4.conf.{workload.HostInterface}.proxy_arp");
        Console.WriteLine($"  ip netns exec {workload.Namespace.Name} ip route");
        Console.WriteLine($"  ip netns exec {workload.Namespace.Name} ping -c1 10.20.2.2");
        Console.WriteLine($"Remove it with:  {TabbyCommandLine()} lab down --prefix {lab.Namespaces.Prefix}");
    }

    /// <summary>How the user can start this command: <c>tabby</c> once <c>./run install</c> put it on the PATH, else this very build.</summary>
    private static string TabbyCommandLine()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "tabby")));
        if (onPath)
            return "tabby";
        var dll = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(AppContext.BaseDirectory, "tabby.dll"));
        return dll.Contains(' ', StringComparison.Ordinal) ? $"dotnet '{dll}'" : $"dotnet {dll}";
    }
}
