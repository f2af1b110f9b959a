using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Daemons;

/// <summary>BIRD 2 in a namespace, configured from a <see cref="BgpRouterSpec"/> and queried with birdc.</summary>
public sealed partial class BirdDaemon : BgpDaemonBase
{
    private readonly string _socket;
    private readonly Dictionary<IPAddress, string> _protocolNames;

    private BirdDaemon(DaemonProcess process, string socket, Dictionary<IPAddress, string> protocolNames)
        : base(process)
    {
        _socket = socket;
        _protocolNames = protocolNames;
    }

    public override string Kind => "bird";

    public static BirdDaemon Start(NetworkNamespace networkNamespace, BgpRouterSpec spec, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = spec.Neighbors.Select((n, i) => (n.Address, Name: $"peer{i}")).ToDictionary(x => x.Address, x => x.Name);
        var config = WriteConfig(workDirectory, "bird.conf", Render(spec, names));
        var socket = Path.Combine(workDirectory, "bird.ctl");
        var process = DaemonProcess.Start(networkNamespace, Path.Combine(workDirectory, "bird.log"),
            "bird", "-f", "-c", config, "-s", socket, "-P", Path.Combine(workDirectory, "bird.pid"));
        return Ready(new BirdDaemon(process, socket, names), d => d.Birdc("show status").Output.Contains("Daemon is up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "bird to start");
    }

    public override bool IsEstablished(IPAddress neighbor)
    {
        var (_, output) = Birdc("show protocols " + _protocolNames[neighbor]);
        return output.Contains("Established", StringComparison.Ordinal);
    }

    public override IReadOnlySet<IpPrefix> Prefixes()
    {
        var (_, output) = Birdc("show route");
        var prefixes = new HashSet<IpPrefix>();
        foreach (Match match in RoutePrefix().Matches(output))
        {
            if (IpPrefix.TryParse(match.Groups["p"].Value, out var prefix))
                prefixes.Add(prefix);
        }
        return prefixes;
    }

    /// <summary>The control socket, for a <see cref="BirdControl"/>.</summary>
    public string ControlSocket => _socket;

    /// <summary>BIRD's name for the protocol of <paramref name="neighbor"/> ("peer0", ...).</summary>
    public string ProtocolName(System.Net.IPAddress neighbor) => _protocolNames[neighbor];

    /// <summary>Runs a birdc command against this daemon, e.g. "show route export peer0".</summary>
    public (int ExitCode, string Output) Birdc(string command) => CommandRunner.Run("birdc", ["-s", _socket, .. command.Split(' ')]);

    private static string Render(BgpRouterSpec spec, Dictionary<IPAddress, string> names)
    {
        var c = new StringBuilder();
        c.AppendLine(CultureInfo.InvariantCulture, $"router id {spec.RouterId};");
        c.AppendLine("log stderr all;");
        c.AppendLine("protocol device { scan time 10; }");
        c.AppendLine("protocol direct { ipv4; ipv6; }");
        c.AppendLine(spec.InstallRoutes
            ? "protocol kernel { learn; ipv4 { import none; export where source = RTS_BGP; }; }"
            : "protocol kernel { ipv4 { import none; export none; }; }");
        var v4 = spec.Originate.Where(p => !p.IsIPv6).ToList();
        var v6 = spec.Originate.Where(p => p.IsIPv6).ToList();
        var extras = string.Concat(spec.OriginateCommunities.Select(x => $"bgp_community.add(({x.Replace(':', ',')})); "))
                   + string.Concat(spec.OriginateLargeCommunities.Select(x => $"bgp_large_community.add(({x.Replace(':', ',')})); "));
        var body = extras.Length == 0 ? " blackhole; " : " blackhole { " + extras + "}; ";
        if (v4.Count > 0)
            c.AppendLine("protocol static originate4 { ipv4; " + string.Concat(v4.Select(p => $"route {p}{body}")) + "}");
        if (v6.Count > 0)
            c.AppendLine("protocol static originate6 { ipv6; " + string.Concat(v6.Select(p => $"route {p}{body}")) + "}");
        var sendsDefault = spec.Neighbors.Any(n => n.DefaultOnly);
        if (sendsDefault)
            c.AppendLine("protocol static default4 { ipv4; route 0.0.0.0/0 blackhole; }");
        foreach (var neighbor in spec.Neighbors)
        {
            var ibgp = neighbor.RemoteAs == spec.As;
            var family = neighbor.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
            c.AppendLine(CultureInfo.InvariantCulture, $"protocol bgp {names[neighbor.Address]} {{");
            // A router with several interfaces (a top-of-rack) lets BIRD pick the source per neighbour.
            c.AppendLine(spec.ListenAddress.Equals(IPAddress.Any)
                ? string.Create(CultureInfo.InvariantCulture, $"  local as {spec.As};")
                : string.Create(CultureInfo.InvariantCulture, $"  local {spec.ListenAddress} as {spec.As};"));
            c.AppendLine(CultureInfo.InvariantCulture, $"  neighbor {neighbor.Address} port {neighbor.Port} as {neighbor.RemoteAs};");
            c.AppendLine("  connect retry time 1; connect delay time 1; error wait time 1, 5;");
            c.AppendLine("  graceful restart on;");
            if (neighbor.Multihop)
                c.AppendLine("  multihop;");
            else if (ibgp)
                c.AppendLine("  direct;"); // lab peers share a segment; BIRD assumes iBGP is multihop otherwise
            if (neighbor.Passive)
                c.AppendLine("  passive on;");
            if (neighbor.Password is { } password)
                c.AppendLine(CultureInfo.InvariantCulture, $"  password \"{password}\";");
            if (!neighbor.FourOctetAs)
                c.AppendLine("  enable as4 off;");
            if (neighbor.RouteReflectorClient)
            {
                c.AppendLine("  rr client;");
                c.AppendLine(CultureInfo.InvariantCulture, $"  rr cluster id {spec.ClusterId ?? spec.RouterId};");
            }
            // Peers in a lab share a segment: next hops resolve directly, no IGP needed.
            var import = neighbor.ImportOnly is { } only ? $"import where net ~ [ {only}+ ];" : "import all;";
            // The default this router makes is for the neighbours that get nothing else.
            var export = neighbor.DefaultOnly ? "export where net = 0.0.0.0/0;" : sendsDefault ? "export where net != 0.0.0.0/0;" : "export all;";
            var nextHop = neighbor.NextHopSelf ? "next hop self ebgp; " : string.Empty;
            c.AppendLine(CultureInfo.InvariantCulture, $"  {family} {{ {import} {export} {nextHop}{(ibgp && !neighbor.Multihop ? "gateway direct; " : string.Empty)}}};");
            c.AppendLine("}");
        }
        if (spec.ExtraConfig is { } extra)
            c.AppendLine(extra);
        return c.ToString();
    }

    [GeneratedRegex(@"^(?<p>[0-9a-fA-F:.]+/\d+)\s", RegexOptions.Multiline)]
    private static partial Regex RoutePrefix();
}
