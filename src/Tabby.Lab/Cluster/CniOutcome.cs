using System.Text.Json.Nodes;

namespace Tabby.Lab.Cluster;

/// <summary>What one plugin run returned.</summary>
public sealed record CniOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The addresses of an ADD result ("10.20.1.2/32" ...).</summary>
    public IReadOnlyList<string> Addresses =>
        JsonNode.Parse(Stdout)?["ips"]?.AsArray().Select(ip => ip!["address"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>The plugin's error message, for failures.</summary>
    public string Error => Succeeded ? "" : $"exit {ExitCode}: {Stdout.Trim()} {Stderr.Trim()}".Trim();
}
