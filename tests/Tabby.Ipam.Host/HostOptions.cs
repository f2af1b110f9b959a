using System.Globalization;

namespace Tabby.Ipam.Host;

/// <summary>The command line: <c>--datastore CONN --host NAME --allocations N --keep-every K --seed S [--pause-after N]</c>.</summary>
internal sealed record HostOptions(string Datastore, string Host, int Allocations, int KeepEvery, int Seed, int? PauseAfter)
{
    public static HostOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i]] = args[i + 1];
        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required");
        int Int(string name) => int.Parse(Need(name), CultureInfo.InvariantCulture);
        return new HostOptions(
            Need("--datastore"), Need("--host"), Int("--allocations"), Int("--keep-every"), Int("--seed"),
            values.ContainsKey("--pause-after") ? Int("--pause-after") : null);
    }
}
