using System.Text.Json.Nodes;

namespace Tabby.Lab.Cluster;

/// <summary>What one plugin run returned.</summary>
public sealed record CniOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The plugin's peak RSS in MiB, when it ran under <see cref="CniPlugin.MeasureMemory"/>.</summary>
    public double? PeakRssMb
    {
        get
        {
            var at = Stderr.LastIndexOf("tabby-peak-rss-kb:", StringComparison.Ordinal);
            return at >= 0 && double.TryParse(Stderr[(at + 18)..].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var kb)
                ? kb / 1024
                : null;
        }
    }

    /// <summary>The addresses of an ADD result ("10.20.1.2/32" ...).</summary>
    public IReadOnlyList<string> Addresses =>
        JsonNode.Parse(Stdout)?["ips"]?.AsArray().Select(ip => ip!["address"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>The plugin's error message, for failures.</summary>
    public string Error => Succeeded ? "" : $"exit {ExitCode}: {Stdout.Trim()} {Stderr.Trim()}".Trim();
}
