using System.Text.Json;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Results;

/// <summary>Writes results in the shape of the negotiated CNI version.</summary>
/// <remarks>
/// Before 1.0.0 each IP carries "version"; from 1.1.0 routes may carry "scope". A previous result (ADD in
/// a chain) is kept as it came: its interfaces, IPs and routes first, ours after, our interface indexes
/// shifted past its interfaces.
/// </remarks>
public static class ResultWriter
{
    public static byte[] ToJson(CniResult result, CniVersion version, JsonElement? previous = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            Write(writer, result, version, previous);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, CniResult result, CniVersion version, JsonElement? previous = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var previousInterfaces = Array(previous, "interfaces");
        var previousIps = Array(previous, "ips");
        var previousRoutes = Array(previous, "routes");
        var shift = previousInterfaces.Count;

        writer.WriteStartObject();
        writer.WriteString("cniVersion", version.ToString());
        if (previousInterfaces.Count + result.Interfaces.Count > 0)
        {
            writer.WriteStartArray("interfaces");
            foreach (var raw in previousInterfaces)
                raw.WriteTo(writer);
            foreach (var i in result.Interfaces)
                WriteInterface(writer, i, version);
            writer.WriteEndArray();
        }
        if (previousIps.Count + result.Ips.Count > 0)
        {
            writer.WriteStartArray("ips");
            foreach (var raw in previousIps)
                raw.WriteTo(writer);
            foreach (var ip in result.Ips)
                WriteIp(writer, ip, version, shift);
            writer.WriteEndArray();
        }
        if (previousRoutes.Count + result.Routes.Count > 0)
        {
            writer.WriteStartArray("routes");
            foreach (var raw in previousRoutes)
                raw.WriteTo(writer);
            foreach (var route in result.Routes)
                WriteRoute(writer, route, version);
            writer.WriteEndArray();
        }
        var dns = result.Dns ?? (previous is { } p && p.TryGetProperty("dns", out var d) && d.ValueKind == JsonValueKind.Object ? d : null);
        if (dns is { } dnsObject)
        {
            writer.WritePropertyName("dns");
            dnsObject.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static void WriteInterface(Utf8JsonWriter writer, ResultInterface i, CniVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("name", i.Name);
        if (!string.IsNullOrEmpty(i.Mac))
            writer.WriteString("mac", i.Mac);
        if (version.InterfacesCarryMtu && i.Mtu is > 0 and var mtu)
            writer.WriteNumber("mtu", mtu);
        if (!string.IsNullOrEmpty(i.Sandbox))
            writer.WriteString("sandbox", i.Sandbox);
        writer.WriteEndObject();
    }

    private static void WriteIp(Utf8JsonWriter writer, ResultIp ip, CniVersion version, int shift)
    {
        writer.WriteStartObject();
        if (version.IpsCarryVersion)
            writer.WriteString("version", ip.Address.IsIPv6 ? "6" : "4");
        writer.WriteString("address", ip.Address.ToString());
        if (!string.IsNullOrEmpty(ip.Gateway))
            writer.WriteString("gateway", ip.Gateway);
        if (ip.Interface is { } index)
            writer.WriteNumber("interface", index + shift);
        writer.WriteEndObject();
    }

    private static void WriteRoute(Utf8JsonWriter writer, ResultRoute route, CniVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("dst", route.Destination.ToString());
        if (route.Gateway is { } gateway)
            writer.WriteString("gw", gateway.ToString());
        if (version.RoutesCarryScope && route.Scope is { } scope)
            writer.WriteNumber("scope", scope);
        writer.WriteEndObject();
    }

    private static List<JsonElement> Array(JsonElement? previous, string name) =>
        previous is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()]
            : [];
}
