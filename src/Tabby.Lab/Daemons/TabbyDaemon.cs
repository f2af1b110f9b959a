using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Daemons;

/// <summary>`tabby bgp run` as its own process in a namespace, configured from the same spec as the reference daemons.</summary>
public sealed class TabbyDaemon : BgpDaemonBase
{
    private readonly string _control;

    private TabbyDaemon(DaemonProcess process, string control)
        : base(process)
    {
        _control = control;
    }

    public override string Kind => "tabby";

    public bool HasExited => Main.HasExited;

    /// <summary>The control socket, for `tabby bgp status --control`.</summary>
    public string ControlPath => _control;

    public static TabbyDaemon Start(NetworkNamespace networkNamespace, BgpRouterSpec spec, string workDirectory, bool restarting = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = WriteConfig(workDirectory, "tabby.yaml", Render(spec));
        var control = Path.Combine(workDirectory, "tabby.sock");
        string[] argv = [.. TabbyCommand.Argv(), "bgp", "run", "--config", config, "--control", control];
        var process = DaemonProcess.Start(networkNamespace, Path.Combine(workDirectory, "tabby.log"), restarting ? [.. argv, "--restarting"] : argv);
        return Ready(new TabbyDaemon(process, control), d => d.TryRequest("status") is not null, TimeSpan.FromSeconds(30), "tabby bgp run to start");
    }

    public override bool IsEstablished(IPAddress neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        if (TryRequest("status") is not { } json)
            return false;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("peers").EnumerateArray()
            .Any(p => p.GetProperty("address").GetString() == neighbor.ToString() && p.GetProperty("state").GetString() == "Established");
    }

    public override IReadOnlySet<IpPrefix> Prefixes()
    {
        var prefixes = new HashSet<IpPrefix>();
        if (TryRequest("routes") is not { } json)
            return prefixes;
        using var document = JsonDocument.Parse(json);
        foreach (var route in document.RootElement.EnumerateArray())
        {
            if (IpPrefix.TryParse(route.GetProperty("prefix").GetString(), out var prefix))
                prefixes.Add(prefix);
        }
        return prefixes;
    }

    /// <summary>SIGKILL: what a crash looks like to the peers.</summary>
    public void Kill() => Main.Kill();

    /// <summary>Asks the running speaker's control socket ("status", "routes", "metrics"); null when it does not answer.</summary>
    public string? Request(string request) => TryRequest(request);

    private string? TryRequest(string request)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(_control));
            socket.Send(Encoding.UTF8.GetBytes(request + "\n"));
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static string Render(BgpRouterSpec spec)
    {
        var c = new StringBuilder();
        c.AppendLine(CultureInfo.InvariantCulture, $"routerId: {spec.RouterId}");
        c.AppendLine(CultureInfo.InvariantCulture, $"as: {spec.As}");
        c.AppendLine(CultureInfo.InvariantCulture, $"listen: \"{(spec.ListenAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{spec.ListenAddress}]" : spec.ListenAddress.ToString())}:{spec.Port}\"");
        if (spec.MetricsPort is { } metrics)
            c.AppendLine(CultureInfo.InvariantCulture, $"metrics: \"{(spec.ListenAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{spec.ListenAddress}]" : spec.ListenAddress.ToString())}:{metrics}\"");
        if (spec.ClusterId is { } cluster)
            c.AppendLine(CultureInfo.InvariantCulture, $"clusterId: {cluster}");
        c.AppendLine("peers:");
        foreach (var n in spec.Neighbors)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"  - address: \"{n.Address}\"");
            c.AppendLine(CultureInfo.InvariantCulture, $"    as: {n.RemoteAs}");
            c.AppendLine(CultureInfo.InvariantCulture, $"    port: {n.Port}");
            c.AppendLine("    connectRetry: 0.5");
            if (n.Passive)
                c.AppendLine("    passive: true");
            if (n.RouteReflectorClient)
                c.AppendLine("    routeReflectorClient: true");
            if (n.Password is { } password)
                c.AppendLine(CultureInfo.InvariantCulture, $"    password: \"{password}\"");
            if (n.Address.AddressFamily == AddressFamily.InterNetworkV6)
                c.AppendLine("    families: [ipv6]");
        }
        if (spec.Originate.Count > 0)
            c.AppendLine(CultureInfo.InvariantCulture, $"originate: [{string.Join(", ", spec.Originate.Select(p => $"\"{p}\""))}]");
        return c.ToString();
    }
}
