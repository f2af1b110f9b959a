using System.Text.Json;

namespace Tabby.Integration.Tests.Cni;

/// <summary>What a plugin execution returned: exit code, stdout (result or CNI error), stderr, and how long it took.</summary>
public sealed record CniOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The CNI error code on stdout, or null when stdout holds none.</summary>
    public int? ErrorCode => TryParse(out var root) && root.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null;

    /// <summary>The error's msg, or null.</summary>
    public string? ErrorMessage => TryParse(out var root) && root.TryGetProperty("msg", out var msg) ? msg.GetString() : null;

    /// <summary>Stdout as JSON (a result, an error, or a VERSION answer).</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() =>
        $"exit {ExitCode} in {Elapsed.TotalMilliseconds:F1} ms\nstdout: {Stdout}\nstderr: {Stderr}";

    private bool TryParse(out JsonElement root)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(Stdout))
            return false;
        try
        {
            root = Json;
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
