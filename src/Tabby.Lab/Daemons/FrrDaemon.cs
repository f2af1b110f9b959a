using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Daemons;

/// <summary>FRR (zebra + bgpd) in a namespace with a state directory of its own, queried with vtysh.</summary>
public sealed class FrrDaemon : BgpDaemonBase
{
    private readonly DaemonProcess _zebra;
    private readonly string _directory;

    private FrrDaemon(DaemonProcess bgpd, DaemonProcess zebra, string directory)
        : base(bgpd, zebra)
    {
        _zebra = zebra;
        _directory = directory;
    }

    public override string Kind => "frr";

    public static FrrDaemon Start(NetworkNamespace networkNamespace, BgpRouterSpec spec, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = WriteConfig(workDirectory, "frr.conf", Render(spec));
        EnsureTraversableByFrr(workDirectory);
        // FRR drops privileges to frr:frr and must still write its pid files and sockets here.
        CommandRunner.Run("chown", "-R", "frr:frr", workDirectory);
        string[] common = ["-f", config, "-z", Path.Combine(workDirectory, "zserv.api"), "--vty_socket", workDirectory, "-P", "0", "-u", "frr", "-g", "frr"];
        var zebra = DaemonProcess.Start(networkNamespace, Path.Combine(workDirectory, "zebra.log"),
            ["/usr/lib/frr/zebra", "-i", Path.Combine(workDirectory, "zebra.pid"), .. common]);
        DaemonProcess bgpd;
        try
        {
            zebra.WaitUntilReady(() => File.Exists(Path.Combine(workDirectory, "zserv.api")), TimeSpan.FromSeconds(15), "zebra to start");
            bgpd = DaemonProcess.Start(networkNamespace, Path.Combine(workDirectory, "bgpd.log"),
                ["/usr/lib/frr/bgpd", "-i", Path.Combine(workDirectory, "bgpd.pid"), "-l", spec.ListenAddress.ToString(), "-p", spec.Port.ToString(CultureInfo.InvariantCulture), .. common]);
        }
        catch
        {
            zebra.Dispose();
            throw;
        }
        return Ready(new FrrDaemon(bgpd, zebra, workDirectory), d => d.Vtysh("show bgp summary json").ExitCode == 0, TimeSpan.FromSeconds(15), "bgpd to start");
    }

    /// <summary>FRR drops to user frr, which must reach its state directory; refuse early with the reason instead of a silent exit.</summary>
    private static void EnsureTraversableByFrr(string directory)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(directory)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
                throw new DaemonException($"FRR runs as user frr and cannot reach {directory}: {dir} is not searchable by others (chmod o+x it or use another directory)");
        }
    }

    public (int ExitCode, string Output) Vtysh(string command) => CommandRunner.Run("vtysh", "--vty_socket", _directory, "-c", command);

    public override bool IsEstablished(IPAddress neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return JsonAnswerHolds(Vtysh($"show bgp neighbors {neighbor} json"), root =>
            root.TryGetProperty(neighbor.ToString(), out var peer) &&
            peer.TryGetProperty("bgpState", out var state) && state.GetString() == "Established");
    }

    public override IReadOnlySet<IpPrefix> Prefixes() => RibPrefixes(family => Vtysh($"show bgp {family} unicast json"), "routes");

    public override string Log() => Main.Tail() + "\n" + _zebra.Tail(5);

    private static string Render(BgpRouterSpec spec)
    {
        var c = new StringBuilder();
        c.AppendLine("frr defaults datacenter");
        c.AppendLine("hostname tabby-lab");
        c.AppendLine("!");
        c.AppendLine(CultureInfo.InvariantCulture, $"router bgp {spec.As}");
        c.AppendLine(CultureInfo.InvariantCulture, $" bgp router-id {spec.RouterId}");
        c.AppendLine(" no bgp ebgp-requires-policy");
        c.AppendLine(" no bgp network import-check");
        c.AppendLine(" bgp graceful-restart");
        if (spec.Neighbors.Any(n => n.RouteReflectorClient))
            c.AppendLine(CultureInfo.InvariantCulture, $" bgp cluster-id {spec.ClusterId ?? spec.RouterId}");
        foreach (var n in spec.Neighbors)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} remote-as {n.RemoteAs}");
            c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} timers connect 1");
            if (n.Port != 179)
                c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} port {n.Port}");
            if (n.Passive)
                c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} passive");
            if (!n.FourOctetAs)
                c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} dont-capability-negotiate");
            if (n.Password is { } password)
                c.AppendLine(CultureInfo.InvariantCulture, $" neighbor {n.Address} password {password}");
        }
        foreach (var (family, v6) in new[] { ("ipv4", false), ("ipv6", true) })
        {
            c.AppendLine(CultureInfo.InvariantCulture, $" address-family {family} unicast");
            foreach (var prefix in spec.Originate.Where(p => p.IsIPv6 == v6))
                c.AppendLine(CultureInfo.InvariantCulture, $"  network {prefix}");
            foreach (var n in spec.Neighbors.Where(n => (n.Address.AddressFamily == AddressFamily.InterNetworkV6) == v6))
            {
                c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {n.Address} activate");
                if (n.RouteReflectorClient)
                    c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {n.Address} route-reflector-client");
                if (n.NextHopSelf)
                    c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {n.Address} next-hop-self");
                if (n.DefaultOnly && !v6)
                {
                    c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {n.Address} default-originate");
                    c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {n.Address} prefix-list DEFAULT-ONLY out");
                }
            }
            c.AppendLine(" exit-address-family");
        }
        c.AppendLine("!");
        if (spec.Neighbors.Any(n => n.DefaultOnly))
            c.AppendLine("ip prefix-list DEFAULT-ONLY seq 5 permit 0.0.0.0/0").AppendLine("!");
        return c.ToString();
    }
}
