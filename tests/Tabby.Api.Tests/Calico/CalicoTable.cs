using System.Globalization;
using System.Text.RegularExpressions;

namespace Tabby.Api.Tests.Calico;

/// <summary>
/// Reads a table of Calico's test entries kept as data: each entry starts with a line
/// <c>### LINE NAME =&gt; valid</c> or <c>### LINE NAME =&gt; invalid[: TEXT]</c> (LINE is the entry's
/// line in Calico's test file, TEXT a piece of the error Calico's test expects) and is followed by
/// the manifest a Calico user would write for it; <c>apiVersion</c> may be left out, and
/// <c>{{x*N}}</c> stands for N copies of the character x (Calico's long values).
/// </summary>
internal static class CalicoTable
{
    private const string Marker = "### ";

    private static readonly Regex s_repeat = new(@"\{\{(.)\*([0-9]+)\}\}");

    /// <summary>The entries of Calico/FILE as theory rows: line, name, valid, expected error text, manifest.</summary>
    public static TheoryData<int, string, bool, string, string> Load(string file)
    {
        var rows = new TheoryData<int, string, bool, string, string>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Calico", file));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(Marker, StringComparison.Ordinal))
                continue;
            var header = lines[i][Marker.Length..];
            var arrow = header.LastIndexOf(" => ", StringComparison.Ordinal);
            if (arrow < 0)
                throw new FormatException($"{file}:{i + 1}: no ' => ' in the entry header");
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            var line = int.Parse(header[..space], CultureInfo.InvariantCulture);
            var name = header[(space + 1)..arrow];
            var outcome = header[(arrow + 4)..];
            var valid = outcome == "valid";
            if (!valid && !outcome.StartsWith("invalid", StringComparison.Ordinal))
                throw new FormatException($"{file}:{i + 1}: the outcome must be 'valid' or 'invalid[: text]'");
            var error = outcome.StartsWith("invalid: ", StringComparison.Ordinal) ? outcome["invalid: ".Length..] : string.Empty;
            var body = new List<string>();
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith(Marker, StringComparison.Ordinal); j++)
                body.Add(lines[j]);
            var manifest = string.Join('\n', body).Trim('\n');
            manifest = s_repeat.Replace(manifest, m => new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
            if (!manifest.Contains("apiVersion:", StringComparison.Ordinal))
                manifest = "apiVersion: projectcalico.org/v3\n" + manifest;
            rows.Add(line, name, valid, error, manifest);
        }
        return rows;
    }
}
