using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tabby.Api.Resources;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks BGPConfiguration, BGPPeer and BGPFilter.</summary>
internal static partial class BgpValidator
{
    public static void Validate(ValidationContext context, BGPConfiguration config)
    {
        var spec = config.Spec;
        // The CRD's pattern is case-insensitive, so Calico accepts "info" and "INFO".
        Checks.OneOfIgnoreCase(context, "spec.logSeverityScreen", spec.LogSeverityScreen, "Trace", "Debug", "Info", "Warning", "Error", "Fatal");
        ValidateBlocks(context, "spec.serviceLoadBalancerIPs", spec.ServiceLoadBalancerIps);
        ValidateBlocks(context, "spec.serviceExternalIPs", spec.ServiceExternalIps);
        ValidateBlocks(context, "spec.serviceClusterIPs", spec.ServiceClusterIps);
        if (spec.ListenPort != 0)
            Checks.Range(context, "spec.listenPort", spec.ListenPort, 1, 65535);
        Checks.Duration(context, "spec.nodeMeshMaxRestartTime", spec.NodeMeshMaxRestartTime);
        Checks.OneOf(context, "spec.bindMode", spec.BindMode, "None", "NodeIP");
        Checks.OneOf(context, "spec.programClusterRoutes", spec.ProgramClusterRoutes, "Enabled", "Disabled");
        Checks.Enum(context, "spec.serviceLoadBalancerAggregation", spec.ServiceLoadBalancerAggregation, "Enabled", "Disabled");
        Checks.Range(context, "spec.ipv4NormalRoutePriority", spec.Ipv4NormalRoutePriority, 1, 2_147_483_646);
        Checks.Range(context, "spec.ipv6NormalRoutePriority", spec.Ipv6NormalRoutePriority, 1, 2_147_483_646);
        Checks.Ip(context, "spec.localWorkloadPeeringIPV4", spec.LocalWorkloadPeeringIpv4, AddressFamily.InterNetwork);
        Checks.Ip(context, "spec.localWorkloadPeeringIPV6", spec.LocalWorkloadPeeringIpv6, AddressFamily.InterNetworkV6);

        // Mesh-wide settings only make sense with the mesh on.
        if (spec.NodeToNodeMeshEnabled == false && spec.NodeMeshPassword is not null)
            context.Error("spec.nodeMeshPassword", "nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false");
        if (spec.NodeToNodeMeshEnabled == false && spec.NodeMeshMaxRestartTime is not null)
            context.Error("spec.nodeMeshMaxRestartTime", "nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false");
        if (spec.IgnoredInterfaces is { } ignored)
        {
            for (var i = 0; i < ignored.Count; i++)
            {
                if (ignored[i] is { } iface && (iface == "*" || !FilterInterfacePattern().IsMatch(iface)))
                    context.Error(Item("spec.ignoredInterfaces", i), $"'{iface}' is not an interface name or pattern");
            }
        }
        ValidatePassword(context, "spec.nodeMeshPassword", spec.NodeMeshPassword);

        var communityNames = new HashSet<string>(StringComparer.Ordinal);
        if (spec.Communities is { } communities)
        {
            for (var i = 0; i < communities.Count; i++)
            {
                var path = Item("spec.communities", i);
                Checks.Required(context, Child(path, "name"), communities[i].Name);
                Checks.Subdomain(context, Child(path, "name"), communities[i].Name);
                Checks.Required(context, Child(path, "value"), communities[i].Value);
                ValidateCommunityValue(context, Child(path, "value"), communities[i].Value);
                if (communities[i].Name is { } name)
                    communityNames.Add(name);
            }
        }
        if (spec.Communities is { Count: > 0 } && spec.PrefixAdvertisements is not { Count: > 0 })
            context.Error("spec.communities", "communities are defined but not used in prefixAdvertisements");
        if (spec.PrefixAdvertisements is { } adverts)
        {
            for (var i = 0; i < adverts.Count; i++)
            {
                var path = Item("spec.prefixAdvertisements", i);
                Checks.Required(context, Child(path, "cidr"), adverts[i].Cidr);
                Checks.Cidr(context, Child(path, "cidr"), adverts[i].Cidr, out _);
                if (adverts[i].Communities is not { Count: > 0 } values)
                {
                    context.Error(Child(path, "communities"), "required");
                    continue;
                }
                for (var j = 0; j < values.Count; j++)
                {
                    if (!communityNames.Contains(values[j]))
                        ValidateCommunityValue(context, Item(Child(path, "communities"), j), values[j], undefinedName: true);
                }
            }
        }
    }

    public static void Validate(ValidationContext context, BGPPeer peer)
    {
        var spec = peer.Spec;
        Checks.Subdomain(context, "spec.node", spec.Node);
        Checks.Selector(context, "spec.nodeSelector", spec.NodeSelector);
        Checks.Selector(context, "spec.peerSelector", spec.PeerSelector);
        Checks.Selector(context, "spec.localWorkloadSelector", spec.LocalWorkloadSelector);
        if (!string.IsNullOrEmpty(spec.Node) && !string.IsNullOrEmpty(spec.NodeSelector))
            context.Error("spec.node", "node and nodeSelector cannot both be set");
        if (!string.IsNullOrEmpty(spec.PeerIp) && !string.IsNullOrEmpty(spec.PeerSelector))
            context.Error("spec.peerIP", "peerIP and peerSelector cannot both be set");
        if (!string.IsNullOrEmpty(spec.PeerSelector) && spec.AsNumber is { Value: not 0 })
            context.Error("spec.asNumber", "asNumber must be empty when peerSelector is set");
        if (!string.IsNullOrEmpty(spec.LocalWorkloadSelector))
        {
            if (spec.AsNumber is null or { Value: 0 })
                context.Error("spec.asNumber", "asNumber is required when localWorkloadSelector is set");
            if (!string.IsNullOrEmpty(spec.PeerIp))
                context.Error("spec.peerIP", "peerIP must be empty when localWorkloadSelector is set");
            if (!string.IsNullOrEmpty(spec.PeerSelector))
                context.Error("spec.peerSelector", "peerSelector must be empty when localWorkloadSelector is set");
        }
        var peerIpOk = string.IsNullOrEmpty(spec.PeerIp) || ValidatePeerIp(context, "spec.peerIP", spec.PeerIp);
        if (!string.IsNullOrEmpty(spec.ReachableBy))
        {
            if (string.IsNullOrEmpty(spec.PeerIp))
                context.Error("spec.reachableBy", "reachableBy must be empty when peerIP is empty");
            else if (Checks.Ip(context, "spec.reachableBy", spec.ReachableBy) && peerIpOk
                && Checks.TryParseIp(spec.ReachableBy, out var gateway) && Checks.TryParseIp(PeerHost(spec.PeerIp), out var peerAddress)
                && gateway.AddressFamily != peerAddress.AddressFamily)
            {
                context.Error("spec.reachableBy", "reachableBy and peerIP must be of the same address family");
            }
        }
        if (spec.KeepOriginalNextHop && spec.NextHopMode is not null)
            context.Error("spec.keepOriginalNextHop", "keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead");
        Checks.Enum(context, "spec.nextHopMode", spec.NextHopMode, "Auto", "Self", "Keep");
        Checks.OneOf(context, "spec.sourceAddress", spec.SourceAddress, "UseNodeIP", "None");
        Checks.OneOf(context, "spec.failureDetectionMode", spec.FailureDetectionMode, "None", "BFDIfDirectlyConnected");
        Checks.OneOf(context, "spec.restartMode", spec.RestartMode, "GracefulRestart", "LongLivedGracefulRestart");
        Checks.OneOf(context, "spec.birdGatewayMode", spec.BirdGatewayMode, "Recursive", "DirectIfDirectlyConnected");
        Checks.Duration(context, "spec.maxRestartTime", spec.MaxRestartTime);
        Checks.Duration(context, "spec.keepaliveTime", spec.KeepaliveTime);
        Checks.Enum(context, "spec.reversePeering", spec.ReversePeering, "Auto", "Manual");
        Checks.Range(context, "spec.numAllowedLocalASNumbers", spec.NumAllowedLocalAsNumbers, 0, int.MaxValue);
        Checks.Range(context, "spec.ttlSecurity", spec.TtlSecurity, 0, 255);
        ValidatePassword(context, "spec.password", spec.Password);
        if (spec.Filters is { } filters)
        {
            for (var i = 0; i < filters.Count; i++)
                Checks.Subdomain(context, Item("spec.filters", i), filters[i]);
            Checks.Unique(context, "spec.filters", filters);
        }
    }

    public static void Validate(ValidationContext context, BGPFilter filter)
    {
        ValidateRules(context, "spec.exportV4", filter.Spec.ExportV4, AddressFamily.InterNetwork);
        ValidateRules(context, "spec.importV4", filter.Spec.ImportV4, AddressFamily.InterNetwork);
        ValidateRules(context, "spec.exportV6", filter.Spec.ExportV6, AddressFamily.InterNetworkV6);
        ValidateRules(context, "spec.importV6", filter.Spec.ImportV6, AddressFamily.InterNetworkV6);
    }

    private static void ValidateRules(ValidationContext context, string path, List<BGPFilterRule>? rules, AddressFamily family)
    {
        if (rules is null)
            return;
        var maxLength = family == AddressFamily.InterNetwork ? 32 : 128;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePath = Item(path, i);
            Checks.Required(context, Child(rulePath, "action"), rule.Action);
            Checks.OneOf(context, Child(rulePath, "action"), rule.Action, "Accept", "Reject");
            Checks.OneOf(context, Child(rulePath, "matchOperator"), rule.MatchOperator, "Equal", "NotEqual", "In", "NotIn");
            Checks.OneOf(context, Child(rulePath, "source"), rule.Source, "RemotePeers");
            if (rule.Interface is not null && rule.Interface != "*" && !FilterInterfacePattern().IsMatch(rule.Interface))
                context.Error(Child(rulePath, "interface"), $"'{rule.Interface}' is not an interface name or pattern");
            var hasCidr = !string.IsNullOrEmpty(rule.Cidr);
            var hasOperator = !string.IsNullOrEmpty(rule.MatchOperator);
            if (hasCidr != hasOperator)
                context.Error(Child(rulePath, hasCidr ? "matchOperator" : "cidr"), "cidr and matchOperator must both be set or both be empty");
            if (hasCidr)
                Checks.Cidr(context, Child(rulePath, "cidr"), rule.Cidr, out _, family);
            Checks.OneOf(context, Child(rulePath, "peerType"), rule.PeerType, "eBGP", "iBGP");
            Checks.Range(context, Child(rulePath, "priority"), rule.Priority, 1, 2_147_483_646);
            if (rule.Communities is { } communities)
            {
                var valuesPath = Child(Child(rulePath, "communities"), "values");
                if (communities.Values is not { Count: 1 })
                    context.Error(valuesPath, "exactly one community value must be given");
                for (var j = 0; j < (communities.Values?.Count ?? 0); j++)
                    ValidateCommunityValue(context, Item(valuesPath, j), communities.Values![j]);
            }
            ValidateOperations(context, Child(rulePath, "operations"), rule);
            if (rule.PrefixLength is { } lengths)
            {
                var lengthPath = Child(rulePath, "prefixLength");
                if (!hasCidr)
                    context.Error(Child(rulePath, "cidr"), "cidr is required when prefixLength is set");
                Checks.Range(context, Child(lengthPath, "min"), lengths.Min, 0, maxLength);
                Checks.Range(context, Child(lengthPath, "max"), lengths.Max, 0, maxLength);
                if (lengths is { Min: { } min, Max: { } max } && min > max)
                    context.Error(lengthPath, string.Create(CultureInfo.InvariantCulture, $"min {min} is greater than max {max}"));
            }
        }
    }

    /// <summary>Each operation sets exactly one change (the CRD's min/max properties), and only an accepting rule has any.</summary>
    private static void ValidateOperations(ValidationContext context, string path, BGPFilterRule rule)
    {
        if (rule.Operations is not { Count: > 0 } operations)
            return;
        if (rule.Action != "Accept")
            context.Error(path, "operations may only be used with action Accept");
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var itemPath = Item(path, i);
            var set = (op.AddCommunity is null ? 0 : 1) + (op.PrependAsPath is null ? 0 : 1) + (op.SetPriority is null ? 0 : 1);
            // Kubernetes' wording for minProperties/maxProperties, which Calico's tests look for.
            if (set == 0)
                context.Error(itemPath, "should have at least 1 properties");
            else if (set > 1)
                context.Error(itemPath, string.Create(CultureInfo.InvariantCulture, $"must have at most 1 items, not {set}"));
            if (op.AddCommunity is { } add)
            {
                Checks.Required(context, Child(Child(itemPath, "addCommunity"), "value"), add.Value);
                ValidateCommunityValue(context, Child(Child(itemPath, "addCommunity"), "value"), add.Value);
            }
            if (op.PrependAsPath is { } prepend && prepend.Prefix is not { Count: >= 1 and <= 10 })
                context.Error(Child(Child(itemPath, "prependASPath"), "prefix"), "1 to 10 AS numbers are required");
            if (op.SetPriority is { } priority)
            {
                if (priority.Value is null)
                    context.Error(Child(Child(itemPath, "setPriority"), "value"), "required");
                Checks.Range(context, Child(Child(itemPath, "setPriority"), "value"), priority.Value, 1, 2_147_483_646);
            }
        }
    }

    /// <summary>The address part of <c>ip</c>, <c>ipv4:port</c> or <c>[ipv6]:port</c>.</summary>
    private static string PeerHost(string value)
    {
        if (value.StartsWith('[') && value.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
            return value[1..close];
        return value.Count(c => c == ':') == 1 ? value[..value.IndexOf(':', StringComparison.Ordinal)] : value;
    }

    /// <summary>An address with an optional port: <c>10.0.0.1</c>, <c>10.0.0.1:179</c>, <c>[fd00::1]:179</c>.</summary>
    private static bool ValidatePeerIp(ValidationContext context, string path, string value)
    {
        string host = value;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                context.Error(path, $"'{value}' is not an IP address or IP:port");
                return false;
            }
            host = value[1..close];
            port = value[(close + 2)..];
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        if (!Checks.TryParseIp(host, out _))
        {
            context.Error(path, $"'{value}' is not an IP address or IP:port");
            return false;
        }
        if (port is not null && (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0))
        {
            context.Error(path, $"'{port}' is not a port number 1-65535");
            return false;
        }
        return true;
    }

    private static void ValidateBlocks(ValidationContext context, string path, List<CidrBlock>? blocks)
    {
        if (blocks is null)
            return;
        // Calico's "cidr" check: any CIDR (host bits allowed) or a bare address.
        for (var i = 0; i < blocks.Count; i++)
            Checks.LooseCidr(context, Child(Item(path, i), "cidr"), blocks[i].Cidr);
    }

    private static void ValidatePassword(ValidationContext context, string path, BgpPassword? password)
    {
        if (password is null)
            return;
        // Calico accepts a password without a secretKeyRef (it then has no value).
        if (password.SecretKeyRef is not { } secret)
            return;
        // The CRD defaults an absent name to "" (Kubernetes' SecretKeySelector); only the key is required.
        if (!string.IsNullOrEmpty(secret.Name))
            Checks.Subdomain(context, Child(Child(path, "secretKeyRef"), "name"), secret.Name);
        Checks.Required(context, Child(Child(path, "secretKeyRef"), "key"), secret.Key);
    }

    /// <summary><c>aa:nn</c> with 16-bit parts (standard) or <c>aa:nn:mm</c> with 32-bit parts (large).</summary>
    private static void ValidateCommunityValue(ValidationContext context, string path, string? value, bool undefinedName = false)
    {
        if (value is null)
            return;
        var parts = value.Split(':');
        var ok = parts.Length switch
        {
            2 => parts.All(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)),
            3 => parts.All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)),
            _ => false,
        };
        if (!ok)
        {
            context.Error(path, undefinedName
                ? $"'{value}': community used is invalid or not defined"
                : $"'{value}' is not a community value aa:nn (16-bit parts) or aa:nn:mm (32-bit parts)");
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_.*+-]{1,15}$")]
    private static partial Regex FilterInterfacePattern();
}
