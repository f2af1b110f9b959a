using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Daemons;

/// <summary>GoBGP in a namespace: a pure BGP peer (it does not program the kernel here), driven with the gobgp CLI.</summary>
public sealed class GobgpDaemon : BgpDaemonBase
{
    private readonly NetworkNamespace _namespace;
    private readonly int _apiPort;

    private GobgpDaemon(DaemonProcess process, NetworkNamespace networkNamespace, int apiPort)
        : base(process)
    {
        _namespace = networkNamespace;
        _apiPort = apiPort;
    }

    public override string Kind => "gobgp";

    /// <summary>Starts gobgpd; its gRPC API listens on the namespace's own loopback, so many instances can share a port number.</summary>
    public static GobgpDaemon Start(NetworkNamespace networkNamespace, BgpRouterSpec spec, string workDirectory, int apiPort = 50051)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        ArgumentNullException.ThrowIfNull(spec);
        var config = WriteConfig(workDirectory, "gobgpd.toml", Render(spec));
        var process = DaemonProcess.Start(networkNamespace, Path.Combine(workDirectory, "gobgpd.log"),
            "gobgpd", "-f", config, "-t", "toml", "--api-hosts", $"127.0.0.1:{apiPort}", "--pprof-disable");
        return Ready(new GobgpDaemon(process, networkNamespace, apiPort), d => d.Gobgp("global").ExitCode == 0,
            TimeSpan.FromSeconds(15), "gobgpd to start", d => d.Originate(spec.Originate));
    }

    private void Originate(IEnumerable<IpPrefix> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            var (code, output) = Gobgp($"global rib add -a {(prefix.IsIPv6 ? "ipv6" : "ipv4")} {prefix}");
            if (code != 0)
                throw new DaemonException($"gobgp could not originate {prefix}: {output}");
        }
    }

    /// <summary>Runs a gobgp CLI command inside the namespace, e.g. "global rib -a ipv4 -j".</summary>
    public (int ExitCode, string Output) Gobgp(string command) =>
        CommandRunner.Run("ip", ["netns", "exec", _namespace.Name!, "gobgp", "-p", _apiPort.ToString(CultureInfo.InvariantCulture), .. command.Split(' ')]);

    public override bool IsEstablished(IPAddress neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return JsonAnswerHolds(Gobgp($"neighbor {neighbor} -j"), root =>
            root.TryGetProperty("state", out var state) &&
            state.TryGetProperty("session_state", out var session) &&
            (session.ValueKind == JsonValueKind.Number ? session.GetInt32() == 6 : session.GetString() is "established" or "ESTABLISHED"));
    }

    public override IReadOnlySet<IpPrefix> Prefixes() => RibPrefixes(family => Gobgp($"global rib -a {family} -j"));

    private static string Render(BgpRouterSpec spec)
    {
        var c = new StringBuilder();
        c.AppendLine("[global.config]");
        c.AppendLine(CultureInfo.InvariantCulture, $"  as = {spec.As}");
        c.AppendLine(CultureInfo.InvariantCulture, $"  router-id = \"{spec.RouterId}\"");
        c.AppendLine(CultureInfo.InvariantCulture, $"  port = {spec.Port}");
        c.AppendLine(CultureInfo.InvariantCulture, $"  local-address-list = [\"{spec.ListenAddress}\"]");
        foreach (var n in spec.Neighbors)
        {
            var v6 = n.Address.AddressFamily == AddressFamily.InterNetworkV6;
            c.AppendLine("[[neighbors]]");
            c.AppendLine("  [neighbors.config]");
            c.AppendLine(CultureInfo.InvariantCulture, $"    neighbor-address = \"{n.Address}\"");
            c.AppendLine(CultureInfo.InvariantCulture, $"    peer-as = {n.RemoteAs}");
            if (n.Password is { } password)
                c.AppendLine(CultureInfo.InvariantCulture, $"    auth-password = \"{password}\"");
            c.AppendLine("  [neighbors.timers.config]");
            c.AppendLine("    connect-retry = 1");
            c.AppendLine("  [neighbors.transport.config]");
            c.AppendLine(CultureInfo.InvariantCulture, $"    local-address = \"{spec.ListenAddress}\"");
            if (n.Port != 179)
                c.AppendLine(CultureInfo.InvariantCulture, $"    remote-port = {n.Port}");
            if (n.Passive)
                c.AppendLine("    passive-mode = true");
            if (n.RouteReflectorClient)
            {
                c.AppendLine("  [neighbors.route-reflector.config]");
                c.AppendLine("    route-reflector-client = true");
                c.AppendLine(CultureInfo.InvariantCulture, $"    route-reflector-cluster-id = \"{spec.ClusterId ?? spec.RouterId}\"");
            }
            c.AppendLine("  [[neighbors.afi-safis]]");
            c.AppendLine("    [neighbors.afi-safis.config]");
            c.AppendLine(CultureInfo.InvariantCulture, $"      afi-safi-name = \"{(v6 ? "ipv6-unicast" : "ipv4-unicast")}\"");
        }
        return c.ToString();
    }
}
