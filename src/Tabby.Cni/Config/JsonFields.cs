using System.Globalization;
using System.Text.Json;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Config;

/// <summary>Typed reads of optional JSON fields; a field of the wrong type is an invalid configuration (code 7) naming its path.</summary>
internal static class JsonFields
{
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => throw Invalid(path, name, "a string", other),
    };

    public static int? Int(JsonElement obj, string name, string path)
    {
        if (Get(obj, name) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        throw Invalid(path, name, "an integer", value);
    }

    public static bool? Bool(JsonElement obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } other => throw Invalid(path, name, "true or false", other),
    };

    /// <summary>Calico's assign_ipv4/assign_ipv6 are the strings "true" and "false"; real booleans are taken too.</summary>
    public static bool? BoolOrString(JsonElement obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } s when s.GetString() is "true" => true,
        { ValueKind: JsonValueKind.String } s when s.GetString() is "false" => false,
        { } other => throw Invalid(path, name, "\"true\" or \"false\"", other),
    };

    public static List<string>? StringList(JsonElement obj, string name, string path)
    {
        if (Get(obj, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(path, name, "a list of strings", value);
        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"{name}[{i}]", "a string", item);
            list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    public static JsonElement? Object(JsonElement obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } o => o,
        { } other => throw Invalid(path, name, "an object", other),
    };

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static CniException Invalid(string path, string name, string expected, JsonElement got) =>
        new(CniErrorCode.InvalidConfig, $"{Join(path, name)}: expected {expected}, got {Describe(got)}");

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + value.GetString() + "\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => value.GetRawText(),
    };

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
