using System.Globalization;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using YamlDotNet.Core;

namespace Tabby.Cli.Bgp;

/// <summary>Reads and checks a `tabby bgp run` file; every problem names the file, line or field.</summary>
internal static class BgpRunConfigLoader
{
    public static BgpRunSettings Load(string path, bool restarting)
    {
        BgpRunConfig raw;
        try
        {
            raw = new BgpRunYamlReader(path).Read(File.ReadAllText(path)) ?? throw new FormatException($"{path}: the file is empty");
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}: {Innermost(e).Message}", e);
        }
        catch (FileNotFoundException)
        {
            throw new FormatException($"{path}: no such file");
        }
        return Check(path, raw, restarting);
    }

    /// <summary>Checks a file's text; <paramref name="path"/> only names it in errors.</summary>
    public static BgpRunSettings LoadText(string path, string yaml, bool restarting = false)
    {
        try
        {
            return Check(path, new BgpRunYamlReader(path).Read(yaml) ?? throw new FormatException($"{path}: the file is empty"), restarting);
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}: {Innermost(e).Message}", e);
        }
    }

    private static BgpRunSettings Check(string path, BgpRunConfig raw, bool restarting)
    {
        var routerId = ParseAddress(path, "routerId", raw.RouterId);
        if (routerId.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new FormatException($"{path}: routerId: a router ID is an IPv4 address, not {raw.RouterId}");
        if (raw.As == 0)
            throw new FormatException($"{path}: as: an AS number is required (1-4294967295)");
        if (raw.StalePathTime <= 0)
            throw new FormatException($"{path}: stalePathTime: {raw.StalePathTime} is not a positive number of seconds");
        if (raw.SchedulerSliceMicroseconds is not (0 or (>= 100 and <= 100_000)))
            throw new FormatException($"{path}: schedulerSliceMicroseconds: {raw.SchedulerSliceMicroseconds} is not 0 (the kernel's default) or 100 to 100000");
        var speaker = new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId(raw.RouterId), raw.As)
        {
            Listen = raw.Listen == "none" ? null : ParseEndPoint(path, "listen", raw.Listen),
            ClusterId = raw.ClusterId is null ? null : BgpSpeakerConfig.ParseRouterId(ParseAddress(path, "clusterId", raw.ClusterId).ToString()),
            RestartTime = raw.RestartTime,
            StalePathTime = TimeSpan.FromSeconds(raw.StalePathTime),
            LocalAddresses = raw.LocalAddresses.Select((a, i) => ParseAddress(path, $"localAddresses[{i}]", a)).ToList(),
            Restarting = restarting,
        };
        var policies = new Dictionary<string, RoutePolicy>(StringComparer.Ordinal);
        foreach (var (name, policy) in raw.Policies)
            policies[name] = BuildPolicy(path, $"policies.{name}", policy);
        var peers = new List<BgpPeerConfig>();
        var seen = new HashSet<IPAddress>();
        for (var i = 0; i < raw.Peers.Count; i++)
        {
            var p = raw.Peers[i];
            var field = $"peers[{i}]";
            if (p.As == 0)
                throw new FormatException($"{path}: {field}.as: an AS number is required");
            if (p.HoldTime is 1 or 2)
                throw new FormatException($"{path}: {field}.holdTime: {p.HoldTime} is not allowed (0 or at least 3)");
            if (p.ConnectRetry <= 0 || p.MaxConnectRetry < p.ConnectRetry)
                throw new FormatException($"{path}: {field}.connectRetry: {p.ConnectRetry} s must be positive and at most maxConnectRetry ({p.MaxConnectRetry} s)");
            var address = ParseAddress(path, field + ".address", p.Address);
            if (!seen.Add(address))
                throw new FormatException($"{path}: {field}.address: {address} is already a peer");
            peers.Add(new BgpPeerConfig(address, p.As)
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
                GracefulRestartNotification = p.GracefulRestartNotification,
                EnforceFirstAs = p.EnforceFirstAs,
                Families = p.Families.Select(f => ParseFamily(path, field + ".families", f)).ToList(),
                ConnectRetry = TimeSpan.FromSeconds(p.ConnectRetry),
                MaxConnectRetry = TimeSpan.FromSeconds(p.MaxConnectRetry),
                Import = FindPolicy(path, field + ".import", p.Import, policies),
                Export = FindPolicy(path, field + ".export", p.Export, policies),
            });
        }
        var originate = raw.Originate.Select((text, i) =>
            IpPrefix.TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException($"{path}: originate[{i}]: {error}")).ToList();
        var metrics = raw.Metrics is null ? null : ParseEndPoint(path, "metrics", raw.Metrics, requirePort: true);
        return new BgpRunSettings(speaker, peers, originate, metrics, TimeSpan.FromMicroseconds(raw.SchedulerSliceMicroseconds));
    }

    private static RoutePolicy? FindPolicy(string path, string field, string? name, Dictionary<string, RoutePolicy> policies)
    {
        if (name is null)
            return null;
        if (policies.TryGetValue(name, out var policy))
            return policy;
        var known = policies.Count == 0 ? "there are none" : "known: " + string.Join(", ", policies.Keys.Order(StringComparer.Ordinal));
        throw new FormatException($"{path}: {field}: no policy named '{name}' under policies ({known})");
    }

    private static RoutePolicy BuildPolicy(string path, string field, BgpRunPolicy raw)
    {
        var terms = new List<PolicyTerm>();
        for (var i = 0; i < raw.Terms.Count; i++)
        {
            var t = raw.Terms[i];
            var at = $"{field}.terms[{i}]";
            var match = new PolicyMatch
            {
                Prefixes = t.Match.Prefixes.Select((p, j) => ParsePrefixMatch(path, $"{at}.match.prefixes[{j}]", p)).ToArray(),
                Communities = t.Match.Communities.Select((c, j) => Parse(path, $"{at}.match.communities[{j}]", c, Community.Parse)).ToArray(),
                LargeCommunities = t.Match.LargeCommunities.Select((c, j) => Parse(path, $"{at}.match.largeCommunities[{j}]", c, LargeCommunity.Parse)).ToArray(),
                Family = t.Match.Family is null ? null : ParseFamily(path, $"{at}.match.family", t.Match.Family),
            };
            var action = ParseAction(path, $"{at}.action", t.Action);
            PolicyActions? actions = null;
            if (t.Set is { } set)
            {
                if (action == PolicyAction.Reject)
                    throw new FormatException($"{path}: {at}.set: a rejecting term has nothing to set");
                if (set.Prepend is < 0 or > 32)
                    throw new FormatException($"{path}: {at}.set.prepend: {set.Prepend} is not 0-32");
                actions = new PolicyActions
                {
                    SetLocalPref = set.LocalPref,
                    SetMed = set.Med,
                    SetCommunities = set.Communities is null ? null : set.Communities.Select((c, j) => Parse(path, $"{at}.set.communities[{j}]", c, Community.Parse)).ToArray(),
                    AddCommunities = set.AddCommunities.Select((c, j) => Parse(path, $"{at}.set.addCommunities[{j}]", c, Community.Parse)).ToArray(),
                    RemoveCommunities = set.RemoveCommunities.Select((c, j) => Parse(path, $"{at}.set.removeCommunities[{j}]", c, Community.Parse)).ToArray(),
                    AddLargeCommunities = set.AddLargeCommunities.Select((c, j) => Parse(path, $"{at}.set.addLargeCommunities[{j}]", c, LargeCommunity.Parse)).ToArray(),
                    RemoveLargeCommunities = set.RemoveLargeCommunities.Select((c, j) => Parse(path, $"{at}.set.removeLargeCommunities[{j}]", c, LargeCommunity.Parse)).ToArray(),
                    PrependCount = set.Prepend,
                    PrependAs = set.PrependAs,
                    NextHop = set.NextHop switch
                    {
                        null => NextHopAction.Default,
                        "self" => NextHopAction.Self,
                        "keep" => NextHopAction.Keep,
                        _ => throw new FormatException($"{path}: {at}.set.nextHop: '{set.NextHop}' is not self or keep"),
                    },
                };
            }
            terms.Add(new PolicyTerm(t.Name ?? $"term{i}", match, action, actions));
        }
        return new RoutePolicy(terms, ParseAction(path, field + ".default", raw.Default));
    }

    private static PolicyAction ParseAction(string path, string field, string text) => text switch
    {
        "accept" => PolicyAction.Accept,
        "reject" => PolicyAction.Reject,
        _ => throw new FormatException($"{path}: {field}: '{text}' is not accept or reject"),
    };

    /// <summary>"P", "P ge N", "P le N" or "P ge N le M", as in BIRD's and FRR's prefix lists.</summary>
    private static PrefixMatch ParsePrefixMatch(string path, string field, string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            throw new FormatException($"{path}: {field}: empty; expected a prefix such as 10.0.0.0/8 ge 24");
        if (!IpPrefix.TryParse(words[0], out var prefix, out var error))
            throw new FormatException($"{path}: {field}: '{text}': {error}");
        int? ge = null, le = null;
        for (var i = 1; i < words.Length; i += 2)
        {
            if (i + 1 >= words.Length || !int.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < prefix.Length || n > prefix.MaxLength)
                throw new FormatException($"{path}: {field}: '{text}': expected ge/le and a length from {prefix.Length} to {prefix.MaxLength}");
            switch (words[i])
            {
                case "ge":
                    ge = n;
                    break;
                case "le":
                    le = n;
                    break;
                default:
                    throw new FormatException($"{path}: {field}: '{words[i]}' is not ge or le");
            }
        }
        if (ge is { } g && le is { } l && g > l)
            throw new FormatException($"{path}: {field}: ge {g} is above le {l}");
        return new PrefixMatch(prefix, ge, le);
    }

    private static T Parse<T>(string path, string field, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {field}: {e.Message}", e);
        }
    }

    private static BgpFamily ParseFamily(string path, string field, string text) => text switch
    {
        "ipv4" => BgpFamily.Ipv4Unicast,
        "ipv6" => BgpFamily.Ipv6Unicast,
        _ => throw new FormatException($"{path}: {field}: '{text}' is not ipv4 or ipv6"),
    };

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static IPAddress ParseAddress(string path, string field, string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new FormatException($"{path}: {field}: '{text}' is not an IP address");

    private static IPEndPoint ParseEndPoint(string path, string field, string text, bool requirePort = false)
    {
        if (!requirePort && IPAddress.TryParse(text, out var bare))
            return new IPEndPoint(bare, 179);
        if (IPEndPoint.TryParse(text, out var endPoint) && (!requirePort || endPoint.Port != 0 || text.EndsWith(":0", StringComparison.Ordinal)))
            return endPoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal) ? new IPEndPoint(endPoint.Address, 179) : endPoint;
        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}: {field}: '{text}' is not {(requirePort ? "address:port" : "address[:port] or none")}"));
    }
}
