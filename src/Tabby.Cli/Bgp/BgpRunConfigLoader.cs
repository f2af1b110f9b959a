using System.Globalization;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Speaker;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Tabby.Cli.Bgp;

/// <summary>Reads and checks a `tabby bgp run` file; every problem names the file, line and field.</summary>
internal static class BgpRunConfigLoader
{
    public static (BgpSpeakerConfig Speaker, IReadOnlyList<BgpPeerConfig> Peers, IReadOnlyList<IpPrefix> Originate) Load(string path, bool restarting)
    {
        BgpRunConfig raw;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            raw = deserializer.Deserialize<BgpRunConfig>(File.ReadAllText(path)) ?? throw new FormatException($"{path}: the file is empty");
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}: {Innermost(e).Message}", e);
        }
        catch (FileNotFoundException)
        {
            throw new FormatException($"{path}: no such file");
        }

        var routerId = ParseAddress(path, "routerId", raw.RouterId);
        if (routerId.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new FormatException($"{path}: routerId: a router ID is an IPv4 address, not {raw.RouterId}");
        if (raw.As == 0)
            throw new FormatException($"{path}: as: an AS number is required (1-4294967295)");
        var speaker = new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId(raw.RouterId), raw.As)
        {
            Listen = raw.Listen == "none" ? null : ParseEndPoint(path, raw.Listen),
            ClusterId = raw.ClusterId is null ? null : BgpSpeakerConfig.ParseRouterId(ParseAddress(path, "clusterId", raw.ClusterId).ToString()),
            RestartTime = raw.RestartTime,
            Restarting = restarting,
        };
        var peers = new List<BgpPeerConfig>();
        for (var i = 0; i < raw.Peers.Count; i++)
        {
            var p = raw.Peers[i];
            var field = $"peers[{i}]";
            if (p.As == 0)
                throw new FormatException($"{path}: {field}.as: an AS number is required");
            if (p.HoldTime is 1 or 2)
                throw new FormatException($"{path}: {field}.holdTime: {p.HoldTime} is not allowed (0 or at least 3)");
            peers.Add(new BgpPeerConfig(ParseAddress(path, field + ".address", p.Address), p.As)
            {
                Port = p.Port,
                LocalAddress = p.LocalAddress is null ? null : ParseAddress(path, field + ".localAddress", p.LocalAddress),
                Passive = p.Passive,
                HoldTime = p.HoldTime,
                Password = p.Password,
                Ttl = p.Ttl,
                RouteReflectorClient = p.RouteReflectorClient,
                NextHopSelf = p.NextHopSelf,
                GracefulRestart = p.GracefulRestart,
                Families = p.Families.Select(f => f switch
                {
                    "ipv4" => BgpFamily.Ipv4Unicast,
                    "ipv6" => BgpFamily.Ipv6Unicast,
                    _ => throw new FormatException($"{path}: {field}.families: '{f}' is not ipv4 or ipv6"),
                }).ToList(),
                ConnectRetry = TimeSpan.FromSeconds(p.ConnectRetry),
            });
        }
        var originate = raw.Originate.Select((text, i) =>
            IpPrefix.TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException($"{path}: originate[{i}]: {error}")).ToList();
        return (speaker, peers, originate);
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static IPAddress ParseAddress(string path, string field, string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new FormatException($"{path}: {field}: '{text}' is not an IP address");

    private static IPEndPoint ParseEndPoint(string path, string text)
    {
        if (IPAddress.TryParse(text, out var bare))
            return new IPEndPoint(bare, 179);
        if (IPEndPoint.TryParse(text, out var endPoint))
            return endPoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal) ? new IPEndPoint(endPoint.Address, 179) : endPoint;
        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}: listen: '{text}' is not address[:port] or none"));
    }
}
