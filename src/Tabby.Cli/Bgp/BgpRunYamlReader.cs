using System.Globalization;
using System.Numerics;
using YamlDotNet.RepresentationModel;

namespace Tabby.Cli.Bgp;

/// <summary>Reads the `tabby bgp run` YAML file into <see cref="BgpRunConfig"/>, field by field.</summary>
/// <remarks>
/// YamlDotNet's object deserializer finds properties by reflection at run time, which a NativeAOT `tabby` cannot
/// do; its node tree needs none. Reading each field by hand also lets every mistake name its line and field.
/// </remarks>
internal sealed class BgpRunYamlReader(string path)
{
    /// <summary>The file's first document; null when it is empty.</summary>
    public BgpRunConfig? Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
            return null;
        var config = new BgpRunConfig();
        foreach (var (key, value) in Fields(stream.Documents[0].RootNode, "the file"))
        {
            switch (key)
            {
                case "routerId": config.RouterId = Text(value, key); break;
                case "as": config.As = Number<uint>(value, key); break;
                case "listen": config.Listen = Text(value, key); break;
                case "clusterId": config.ClusterId = OptionalText(value, key); break;
                case "restartTime": config.RestartTime = Number<ushort>(value, key); break;
                case "stalePathTime": config.StalePathTime = Seconds(value, key); break;
                case "localAddresses": config.LocalAddresses = Texts(value, key); break;
                case "metrics": config.Metrics = OptionalText(value, key); break;
                case "schedulerSliceMicroseconds": config.SchedulerSliceMicroseconds = Number<int>(value, key); break;
                case "peers": config.Peers = Items(value, key, Peer); break;
                case "originate": config.Originate = Texts(value, key); break;
                case "policies": config.Policies = Named(value, key, Policy); break;
                default: throw Unknown(value, key, "the file");
            }
        }
        return config;
    }

    private BgpRunPeer Peer(YamlNode node, string at)
    {
        var peer = new BgpRunPeer();
        foreach (var (key, value) in Fields(node, at))
        {
            var field = $"{at}.{key}";
            switch (key)
            {
                case "address": peer.Address = Text(value, field); break;
                case "as": peer.As = Number<uint>(value, field); break;
                case "port": peer.Port = Number<int>(value, field); break;
                case "localAddress": peer.LocalAddress = OptionalText(value, field); break;
                case "passive": peer.Passive = Flag(value, field); break;
                case "holdTime": peer.HoldTime = Number<ushort>(value, field); break;
                case "password": peer.Password = OptionalText(value, field); break;
                case "ttl": peer.Ttl = IsNull(value) ? null : Number<int>(value, field); break;
                case "routeReflectorClient": peer.RouteReflectorClient = Flag(value, field); break;
                case "nextHopSelf": peer.NextHopSelf = Flag(value, field); break;
                case "gracefulRestart": peer.GracefulRestart = Flag(value, field); break;
                case "gracefulRestartNotification": peer.GracefulRestartNotification = Flag(value, field); break;
                case "enforceFirstAs": peer.EnforceFirstAs = Flag(value, field); break;
                case "families": peer.Families = Texts(value, field); break;
                case "connectRetry": peer.ConnectRetry = Seconds(value, field); break;
                case "maxConnectRetry": peer.MaxConnectRetry = Seconds(value, field); break;
                case "import": peer.Import = OptionalText(value, field); break;
                case "export": peer.Export = OptionalText(value, field); break;
                default: throw Unknown(value, key, at);
            }
        }
        return peer;
    }

    private BgpRunPolicy Policy(YamlNode node, string at)
    {
        var policy = new BgpRunPolicy();
        foreach (var (key, value) in Fields(node, at))
        {
            switch (key)
            {
                case "default": policy.Default = Text(value, $"{at}.{key}"); break;
                case "terms": policy.Terms = Items(value, $"{at}.{key}", Term); break;
                default: throw Unknown(value, key, at);
            }
        }
        return policy;
    }

    private BgpRunTerm Term(YamlNode node, string at)
    {
        var term = new BgpRunTerm();
        foreach (var (key, value) in Fields(node, at))
        {
            var field = $"{at}.{key}";
            switch (key)
            {
                case "name": term.Name = OptionalText(value, field); break;
                case "match": term.Match = IsNull(value) ? new BgpRunMatch() : Match(value, field); break;
                case "action": term.Action = Text(value, field); break;
                case "set": term.Set = IsNull(value) ? null : Set(value, field); break;
                default: throw Unknown(value, key, at);
            }
        }
        return term;
    }

    private BgpRunMatch Match(YamlNode node, string at)
    {
        var match = new BgpRunMatch();
        foreach (var (key, value) in Fields(node, at))
        {
            var field = $"{at}.{key}";
            switch (key)
            {
                case "prefixes": match.Prefixes = Texts(value, field); break;
                case "communities": match.Communities = Texts(value, field); break;
                case "largeCommunities": match.LargeCommunities = Texts(value, field); break;
                case "family": match.Family = OptionalText(value, field); break;
                default: throw Unknown(value, key, at);
            }
        }
        return match;
    }

    private BgpRunSet Set(YamlNode node, string at)
    {
        var set = new BgpRunSet();
        foreach (var (key, value) in Fields(node, at))
        {
            var field = $"{at}.{key}";
            switch (key)
            {
                case "localPref": set.LocalPref = IsNull(value) ? null : Number<uint>(value, field); break;
                case "med": set.Med = IsNull(value) ? null : Number<uint>(value, field); break;
                case "communities": set.Communities = IsNull(value) ? null : Texts(value, field); break;
                case "addCommunities": set.AddCommunities = Texts(value, field); break;
                case "removeCommunities": set.RemoveCommunities = Texts(value, field); break;
                case "addLargeCommunities": set.AddLargeCommunities = Texts(value, field); break;
                case "removeLargeCommunities": set.RemoveLargeCommunities = Texts(value, field); break;
                case "prepend": set.Prepend = Number<int>(value, field); break;
                case "prependAs": set.PrependAs = IsNull(value) ? null : Number<uint>(value, field); break;
                case "nextHop": set.NextHop = OptionalText(value, field); break;
                default: throw Unknown(value, key, at);
            }
        }
        return set;
    }

    private IEnumerable<(string Key, YamlNode Value)> Fields(YamlNode node, string at)
    {
        if (IsNull(node))
            yield break;
        if (node is not YamlMappingNode mapping)
            throw Error(node, at, "expected a mapping of fields");
        foreach (var (key, value) in mapping.Children)
            yield return (key is YamlScalarNode { Value: { } name } ? name : throw Error(key, at, "a field name must be plain text"), value);
    }

    private List<T> Items<T>(YamlNode node, string at, Func<YamlNode, string, T> read)
    {
        if (IsNull(node))
            return [];
        if (node is not YamlSequenceNode sequence)
            throw Error(node, at, "expected a list");
        return sequence.Children.Select((item, i) => read(item, $"{at}[{i}]")).ToList();
    }

    private Dictionary<string, T> Named<T>(YamlNode node, string at, Func<YamlNode, string, T> read)
    {
        var named = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in Fields(node, at))
        {
            if (!named.TryAdd(key, read(value, $"{at}.{key}")))
                throw Error(value, at, $"'{key}' appears twice");
        }
        return named;
    }

    private List<string> Texts(YamlNode node, string at) => Items(node, at, Text);

    private string Text(YamlNode node, string at) =>
        OptionalText(node, at) ?? throw Error(node, at, "a value is required");

    private string? OptionalText(YamlNode node, string at) => node switch
    {
        _ when IsNull(node) => null,
        YamlScalarNode scalar => scalar.Value,
        _ => throw Error(node, at, "expected a single value, not a list or mapping"),
    };

    /// <summary>true or false; YAML 1.1's yes/no and on/off too, as YamlDotNet's deserializer took them.</summary>
    private bool Flag(YamlNode node, string at) => Text(node, at).ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "on" => true,
        "false" or "no" or "n" or "off" => false,
        var text => throw Error(node, at, $"'{text}' is not true or false"),
    };

    private T Number<T>(YamlNode node, string at)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = Text(node, at);
        return T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Error(node, at, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a whole number from {T.MinValue} to {T.MaxValue}"));
    }

    private double Seconds(YamlNode node, string at)
    {
        var text = Text(node, at);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n
            : throw Error(node, at, $"'{text}' is not a number of seconds");
    }

    private FormatException Unknown(YamlNode value, string key, string at) => Error(value, at, $"'{key}' is not a field here");

    private FormatException Error(YamlNode node, string at, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}:{node.Start.Line}: {at}: {message}"));

    /// <summary>An empty value, `~` or `null`, as YAML's core schema reads them.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
