using System.Globalization;

namespace Tabby.Cli.Rendering;

/// <summary>Route protocol names from iproute2's tables, so output says "tabby" and "bird" where `ip route` would.</summary>
internal static class ProtocolNames
{
    private static readonly Lazy<Dictionary<byte, string>> s_names = new(Load);

    public static string Name(byte protocol) =>
        s_names.Value.TryGetValue(protocol, out var name) ? name : protocol.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<byte, string> Load()
    {
        var names = new Dictionary<byte, string>
        {
            [2] = "kernel",
            [3] = "boot",
            [4] = "static",
        };
        var files = new List<string> { "/etc/iproute2/rt_protos", "/usr/share/iproute2/rt_protos" };
        foreach (var dir in new[] { "/usr/share/iproute2/rt_protos.d", "/etc/iproute2/rt_protos.d" })
        {
            if (Directory.Exists(dir))
                files.AddRange(Directory.GetFiles(dir, "*.conf").Order(StringComparer.Ordinal));
        }
        foreach (var file in files.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && !parts[0].StartsWith('#') && byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    names[number] = parts[1];
            }
        }
        return names;
    }
}
