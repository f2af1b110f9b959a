using System.Net;
using System.Text.Json;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Results;

/// <summary>Reads a result (a prevResult, or an IPAM plugin's output) of any supported version.</summary>
public static class ResultReader
{
    /// <exception cref="CniException">Code 6, naming the field under <paramref name="path"/> that does not decode.</exception>
    public static CniResult Read(JsonElement result, string path)
    {
        if (result.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"expected an object, got {JsonFields.Describe(result)}");
        var interfaces = new List<ResultInterface>();
        foreach (var (item, itemPath) in Items(result, "interfaces", path))
        {
            var name = Text(item, "name", itemPath) ?? throw Bad(itemPath + ".name", "missing");
            var mtu = JsonFields.Get(item, "mtu") is { ValueKind: JsonValueKind.Number } m && m.TryGetInt32(out var mtuValue) ? mtuValue : (int?)null;
            interfaces.Add(new ResultInterface(name, Text(item, "mac", itemPath), Text(item, "sandbox", itemPath), mtu));
        }

        var ips = new List<ResultIp>();
        foreach (var (item, itemPath) in Items(result, "ips", path))
        {
            var addressText = Text(item, "address", itemPath) ?? throw Bad(itemPath + ".address", "missing");
            if (!CidrAddress.TryParse(addressText, lengthOptional: false, out var address))
                throw Bad(itemPath + ".address", $"\"{addressText}\" is not an address in CIDR notation");
            int? index = null;
            if (JsonFields.Get(item, "interface") is { } indexElement)
            {
                if (indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetInt32(out var i) || i < 0)
                    throw Bad(itemPath + ".interface", $"expected an index, got {JsonFields.Describe(indexElement)}");
                index = i;
            }
            ips.Add(new ResultIp(address, Text(item, "gateway", itemPath), index));
        }

        var routes = new List<ResultRoute>();
        foreach (var (item, itemPath) in Items(result, "routes", path))
        {
            var dstText = Text(item, "dst", itemPath) ?? throw Bad(itemPath + ".dst", "missing");
            if (!CidrAddress.TryParse(dstText, lengthOptional: false, out var dst))
                throw Bad(itemPath + ".dst", $"\"{dstText}\" is not a prefix in CIDR notation");
            IPAddress? gateway = null;
            if (Text(item, "gw", itemPath) is { } gwText && !IPAddress.TryParse(gwText, out gateway))
                throw Bad(itemPath + ".gw", $"\"{gwText}\" is not an address");
            var scope = JsonFields.Get(item, "scope") is { ValueKind: JsonValueKind.Number } s && s.TryGetInt32(out var scopeValue) ? scopeValue : (int?)null;
            routes.Add(new ResultRoute(dst, gateway, scope));
        }

        return new CniResult
        {
            Interfaces = interfaces,
            Ips = ips,
            Routes = routes,
            Dns = JsonFields.Get(result, "dns") is { ValueKind: JsonValueKind.Object } dns ? dns : null,
        };
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement result, string name, string path)
    {
        if (JsonFields.Get(result, name) is not { } list)
            yield break;
        if (list.ValueKind != JsonValueKind.Array)
            throw Bad($"{path}.{name}", $"expected a list, got {JsonFields.Describe(list)}");
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{path}.{name}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw Bad(itemPath, $"expected an object, got {JsonFields.Describe(item)}");
            yield return (item, itemPath);
        }
    }

    private static string? Text(JsonElement obj, string name, string path) => JsonFields.Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => throw Bad($"{path}.{name}", $"expected a string, got {JsonFields.Describe(other)}"),
    };

    private static CniException Bad(string path, string problem) => new(CniErrorCode.DecodeFailure, $"{path}: {problem}");
}
