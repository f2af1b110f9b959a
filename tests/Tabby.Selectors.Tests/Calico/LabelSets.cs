using System.Text.Json;

namespace Tabby.Selectors.Tests.Calico;

/// <summary>Label sets written as JSON objects, so Calico's Go map literals carry over character for character.</summary>
internal static class LabelSets
{
    public static Dictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? throw new ArgumentException("null label set", nameof(json));
}
