using System.Text.Json;
using Tabby.Cni.Protocol;
using Tabby.Datastore;

namespace Tabby.Cni.Config;

/// <summary>Reads the network configuration from stdin bytes, with an error code and the field's path for every problem.</summary>
/// <remarks>
/// Fields Tabby does not know are ignored, as Calico's plugin ignores them, so Calico configurations work
/// unchanged. Known fields of the wrong type are invalid (7); known Calico features Tabby does not have are
/// unsupported (2) and named with their value.
/// </remarks>
public static class NetConfReader
{
    /// <summary>The GC input key listing the attachments to keep.</summary>
    public const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    /// <summary>The datastore when the configuration names none.</summary>
    public const string DefaultDatastore = DatastoreConnectionString.Default;

    /// <summary>Parses stdin as JSON; code 6 when it is not a JSON object.</summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> stdin)
    {
        if (IsBlank(stdin.Span))
            throw new CniException(CniErrorCode.DecodeFailure, "no network configuration on stdin", "the runtime must pass the network configuration as a JSON object on stdin");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdin, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodeFailure, "error decoding the network configuration: it is not valid JSON",
                $"{e.Message} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = JsonFields.Describe(document.RootElement);
            document.Dispose();
            throw new CniException(CniErrorCode.DecodeFailure, "error decoding the network configuration: it must be a JSON object", $"got {kind}");
        }
        return document;
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
        }
        return true;
    }

    /// <summary>The configuration's cniVersion; code 1 when it is missing or not one Tabby speaks.</summary>
    public static CniVersion ReadVersion(JsonElement root)
    {
        var text = JsonFields.Get(root, "cniVersion") switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { } other => throw new CniException(CniErrorCode.DecodeFailure, $"cniVersion: expected a string, got {JsonFields.Describe(other)}"),
        };
        if (string.IsNullOrEmpty(text))
            throw new CniException(CniErrorCode.IncompatibleVersion, "incompatible CNI versions", $"config has no cniVersion (0.1.0 is implied), plugin supports {CniVersion.SupportedList}");
        if (!CniVersion.TryParse(text, out var version) || !version.IsSupported)
            throw new CniException(CniErrorCode.IncompatibleVersion, "incompatible CNI versions", $"config is \"{text}\", plugin supports {CniVersion.SupportedList}");
        return version;
    }

    public static NetConf Read(JsonElement root)
    {
        var version = ReadVersion(root);
        var name = JsonFields.String(root, "name", "");
        if (string.IsNullOrEmpty(name))
            throw new CniException(CniErrorCode.InvalidConfig, "missing network name", "the configuration needs \"name\"");
        if (!CniEnvironment.ContainerIdPattern().IsMatch(name))
            throw new CniException(CniErrorCode.InvalidConfig, "invalid characters found in network name", name);

        RejectUnsupported(root);
        var mtu = JsonFields.Int(root, "mtu", "") ?? 0;
        if (mtu != 0 && (mtu < 68 || mtu > 65535))
            throw new CniException(CniErrorCode.InvalidConfig, $"mtu: {mtu} is outside 68-65535");

        var runtimeConfig = JsonFields.Object(root, "runtimeConfig", "");
        var args = JsonFields.Object(root, "args", "");
        var cniArgs = args is { } a ? JsonFields.Object(a, "cni", "args") : null;
        var requestedIps = (runtimeConfig is { } rc ? JsonFields.StringList(rc, "ips", "runtimeConfig") : null)
            ?? (cniArgs is { } ca ? JsonFields.StringList(ca, "ips", "args.cni") : null);
        var containerSettings = JsonFields.Object(root, "container_settings", "");
        var policy = JsonFields.Object(root, "policy", "");

        return new NetConf
        {
            Version = version,
            Name = name,
            Type = JsonFields.String(root, "type", "") ?? "",
            Ipam = ReadIpam(root),
            Datastore = ReadDatastore(root),
            Mtu = mtu,
            Nodename = JsonFields.String(root, "nodename", "") is { Length: > 0 } n ? n : null,
            NodenameFile = JsonFields.String(root, "nodename_file", "") is { Length: > 0 } f ? f : NodeNames.DefaultFile,
            MtuFile = JsonFields.String(root, "mtu_file", "") is { Length: > 0 } m ? m : WorkloadMtu.DefaultFile,
            AllowIpForwarding = containerSettings is { } cs && (JsonFields.Bool(cs, "allow_ip_forwarding", "container_settings") ?? false),
            PolicyType = policy is { } p ? JsonFields.String(p, "type", "policy") : null,
            LogLevel = JsonFields.String(root, "log_level", ""),
            RequestedIps = requestedIps,
            RequestedMac = runtimeConfig is { } r ? JsonFields.String(r, "mac", "runtimeConfig") : null,
            Labels = cniArgs is { } c ? ReadLabels(c) : new Dictionary<string, string>(),
            PrevResult = JsonFields.Object(root, "prevResult", ""),
            Dns = JsonFields.Object(root, "dns", ""),
            ValidAttachments = ReadValidAttachments(root),
        };
    }

    private static IpamConf? ReadIpam(JsonElement root)
    {
        if (JsonFields.Object(root, "ipam", "") is not { } ipam)
            return null;
        var type = JsonFields.String(ipam, "type", "ipam");
        if (string.IsNullOrEmpty(type))
            throw new CniException(CniErrorCode.InvalidConfig, "ipam.type is missing", "name the IPAM plugin, e.g. \"ipam\": {\"type\": \"tabby-ipam\"}");
        if (type.Contains('/', StringComparison.Ordinal))
            throw new CniException(CniErrorCode.InvalidConfig, $"ipam.type: '{type}' must be a plugin name, not a path");
        return new IpamConf
        {
            Type = type,
            Ipv4Pools = JsonFields.StringList(ipam, "ipv4_pools", "ipam") ?? [],
            Ipv6Pools = JsonFields.StringList(ipam, "ipv6_pools", "ipam") ?? [],
            AssignIpv4 = JsonFields.BoolOrString(ipam, "assign_ipv4", "ipam") ?? true,
            AssignIpv6 = JsonFields.BoolOrString(ipam, "assign_ipv6", "ipam") ?? false,
        };
    }

    /// <summary>Tabby's <c>datastore</c>, or Calico's etcd fields; one of them at most.</summary>
    private static string ReadDatastore(JsonElement root)
    {
        var datastore = JsonFields.String(root, "datastore", "");
        var endpoints = JsonFields.String(root, "etcd_endpoints", "");
        var authority = JsonFields.String(root, "etcd_authority", "");
        var type = JsonFields.String(root, "datastore_type", "");
        switch (type)
        {
            case null or "" or "etcdv3":
                break;
            case "kubernetes":
                throw new CniException(CniErrorCode.UnsupportedField, "unsupported field datastore_type: \"kubernetes\"",
                    "Tabby keeps its resources in SQLite or etcd: set \"datastore\" or \"etcd_endpoints\"");
            default:
                throw new CniException(CniErrorCode.InvalidConfig, $"datastore_type: \"{type}\" is not \"etcdv3\" or \"kubernetes\"");
        }
        foreach (var tls in new[] { "etcd_key_file", "etcd_cert_file", "etcd_ca_cert_file", "etcd_discovery_srv" })
        {
            if (JsonFields.String(root, tls, "") is { Length: > 0 } value)
                throw new CniException(CniErrorCode.UnsupportedField, $"unsupported field {tls}: \"{value}\"",
                    "Tabby's etcd client speaks plain http:// to listed endpoints only");
        }

        var given = new[] { ("datastore", datastore), ("etcd_endpoints", endpoints), ("etcd_authority", authority) }
            .Where(x => !string.IsNullOrWhiteSpace(x.Item2)).ToList();
        if (given.Count > 1)
            throw new CniException(CniErrorCode.InvalidConfig, $"{string.Join(" and ", given.Select(g => g.Item1))} both name a datastore; keep one");
        var connection = given.Count == 0 ? (type == "etcdv3" ? null : DefaultDatastore)
            : given[0].Item1 == "datastore" ? given[0].Item2!.Trim()
            : "etcd:" + given[0].Item2!.Trim();
        if (connection is null)
            throw new CniException(CniErrorCode.InvalidConfig, "datastore_type \"etcdv3\" needs etcd_endpoints");
        try
        {
            DatastoreConnectionString.Parse(connection);
        }
        catch (FormatException e)
        {
            throw new CniException(CniErrorCode.InvalidConfig, $"{(given.Count == 0 ? "datastore" : given[0].Item1)}: {e.Message}");
        }
        return connection;
    }

    /// <summary>Calico features that Tabby has not got: refusing them beats silently doing something else.</summary>
    private static void RejectUnsupported(JsonElement root)
    {
        if (JsonFields.String(root, "device_type", "") is { Length: > 0 } device && device != "veth")
        {
            if (device == "netkit")
                throw new CniException(CniErrorCode.UnsupportedField, "unsupported field device_type: \"netkit\"", "Tabby creates veth pairs");
            throw new CniException(CniErrorCode.InvalidConfig, $"device_type: \"{device}\" is not \"veth\" or \"netkit\"");
        }
        if (JsonFields.Int(root, "num_queues", "") is > 1 and var queues)
            throw new CniException(CniErrorCode.UnsupportedField, $"unsupported field num_queues: {queues}", "Tabby's veth pairs have one queue");
        if (JsonFields.Object(root, "feature_control", "") is { } features)
        {
            foreach (var feature in new[] { "ip_addrs_no_ipam", "floating_ips" })
            {
                if (JsonFields.Bool(features, feature, "feature_control") == true)
                    throw new CniException(CniErrorCode.UnsupportedField, $"unsupported field feature_control.{feature}: true");
            }
        }
        if (JsonFields.StringList(root, "readiness_gates", "") is { Count: > 0 } gates)
            throw new CniException(CniErrorCode.UnsupportedField, $"unsupported field readiness_gates: [{string.Join(", ", gates)}]");
        if (JsonFields.Int(root, "policy_setup_timeout_seconds", "") is > 0 and var timeout)
            throw new CniException(CniErrorCode.UnsupportedField, $"unsupported field policy_setup_timeout_seconds: {timeout}");
        if (JsonFields.Bool(root, "ipMasq", "") == true)
            throw new CniException(CniErrorCode.UnsupportedField, "unsupported field ipMasq: true", "NAT is per IP pool in Tabby (natOutgoing)");
    }

    /// <summary>The conventions' args.cni.labels: a list of {"key": K, "value": V}.</summary>
    private static Dictionary<string, string> ReadLabels(JsonElement cniArgs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.Get(cniArgs, "labels") is not { } list)
            return labels;
        if (list.ValueKind != JsonValueKind.Array)
            throw JsonFields.Invalid("args.cni", "labels", "a list of {\"key\", \"value\"} objects", list);
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"args.cni.labels[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw new CniException(CniErrorCode.InvalidConfig, $"{path}: expected an object with key and value, got {JsonFields.Describe(item)}");
            var key = JsonFields.String(item, "key", path);
            if (string.IsNullOrEmpty(key))
                throw new CniException(CniErrorCode.InvalidConfig, $"{path}.key is missing");
            labels[key] = JsonFields.String(item, "value", path) ?? "";
        }
        return labels;
    }

    private static List<ValidAttachment>? ReadValidAttachments(JsonElement root)
    {
        if (JsonFields.Get(root, ValidAttachmentsKey) is not { } list)
            return null;
        if (list.ValueKind != JsonValueKind.Array)
            throw JsonFields.Invalid("", ValidAttachmentsKey, "a list of {\"containerID\", \"ifname\"} objects", list);
        var attachments = new List<ValidAttachment>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"{ValidAttachmentsKey}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw new CniException(CniErrorCode.InvalidConfig, $"{path}: expected an object with containerID and ifname, got {JsonFields.Describe(item)}");
            var containerId = JsonFields.String(item, "containerID", path);
            if (string.IsNullOrEmpty(containerId))
                throw new CniException(CniErrorCode.InvalidConfig, $"{path}.containerID is missing");
            attachments.Add(new ValidAttachment(containerId, JsonFields.String(item, "ifname", path) ?? ""));
        }
        return attachments;
    }
}
