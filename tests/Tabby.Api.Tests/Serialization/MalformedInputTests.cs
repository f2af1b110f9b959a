using System.Text.RegularExpressions;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Serialization;

/// <summary>Broken input gives errors that say where, never exceptions and never silent acceptance.</summary>
public class MalformedInputTests
{
    private static readonly string[] s_files = ["policies.yaml", "felix.yaml", "misc.yaml", "bgp.yaml"];

    // "  key: value", "  - key:" and "key:" lines; the key is group 1.
    private static readonly Regex s_keyLine = new(@"^\s*(?:- )?([A-Za-z][A-Za-z0-9_./-]*):(?: |$)");

    [Theory]
    [InlineData("policies.yaml")]
    [InlineData("felix.yaml")]
    [InlineData("misc.yaml")]
    [InlineData("bgp.yaml")]
    [InlineData("policy.json")]
    public void Every_truncation_reads_without_exceptions_and_errors_point_into_the_text(string file)
    {
        var text = ManifestFiles.Text(file);
        var reader = new ResourceReader();
        Assert.True(reader.Read(text, file).Succeeded);

        for (var length = 0; length < text.Length; length += 7)
        {
            var cut = text[..length];
            var lines = cut.Split('\n').Length;
            var result = reader.Read(cut, file);
            Assert.All(result.Errors, e =>
            {
                Assert.False(string.IsNullOrEmpty(e.Message));
                Assert.Equal(file, e.Source);
                Assert.InRange(e.Line, 0, lines + 1);
            });
        }
    }

    [Fact]
    public void Json_cut_anywhere_before_its_end_gives_an_error()
    {
        var text = ManifestFiles.Text("policy.json");
        var end = text.TrimEnd().Length;
        var reader = new ResourceReader();
        for (var length = 1; length < end; length++)
        {
            var result = reader.Read(text[..length], "policy.json");
            Assert.False(result.Succeeded, $"a cut after {length} characters was accepted");
            Assert.Empty(result.Resources);
        }
    }

    [Fact]
    public void Yaml_cut_inside_a_key_gives_an_error_on_that_line()
    {
        var reader = new ResourceReader();
        var checkedCuts = 0;
        foreach (var file in s_files)
        {
            var text = ManifestFiles.Text(file);
            var lines = text.Split('\n');
            var offset = 0;
            for (var i = 0; i < lines.Length; offset += lines[i].Length + 1, i++)
            {
                var key = s_keyLine.Match(lines[i]);
                if (!key.Success || key.Groups[1].Length < 2)
                    continue;
                // Half a key: no ':' follows, so the line is not a mapping entry any more.
                var cut = text[..(offset + key.Groups[1].Index + (key.Groups[1].Length / 2))];
                var result = reader.Read(cut, file);
                Assert.False(result.Succeeded, $"{file}:{i + 1}: cut inside the key was accepted");
                Assert.Contains(result.Errors, e => e.Line == i + 1 || e.Line == i);
                checkedCuts++;
            }
        }
        Assert.True(checkedCuts > 100, $"only {checkedCuts} keys were cut");
    }

    [Theory]
    [InlineData("policies.yaml")]
    [InlineData("misc.yaml")]
    [InlineData("felix.yaml")]
    public void Scalar_replaced_by_a_list_or_a_map_gives_an_error_on_that_line(string file)
    {
        var lines = ManifestFiles.Text(file).Split('\n');
        var reader = new ResourceReader();
        var checkedLines = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || lines[i].TrimStart().StartsWith('#') || lines[i].TrimStart().StartsWith("apiVersion", StringComparison.Ordinal))
                continue;
            var value = lines[i][(colon + 2)..].Trim();
            if (value.Length == 0 || value[0] is '[' or '{' or '|' or '>' or '&' or '*')
                continue;
            foreach (var replacement in new[] { "[1, [2]]", "{a: b}" })
            {
                var mutated = (string[])lines.Clone();
                mutated[i] = lines[i][..(colon + 2)] + replacement;
                var result = reader.Read(string.Join('\n', mutated), file);
                Assert.False(result.Succeeded, $"{file}:{i + 1}: '{lines[i].Trim()}' became '{replacement}' and was accepted");
                Assert.Contains(result.Errors, e => e.Line == i + 1);
            }
            checkedLines++;
        }
        Assert.True(checkedLines > 10, $"only {checkedLines} scalar lines in {file}");
    }

    [Theory]
    [InlineData("policies.yaml")]
    [InlineData("misc.yaml")]
    [InlineData("felix.yaml")]
    public void Values_replaced_by_other_shapes_read_without_exceptions(string file)
    {
        var lines = ManifestFiles.Text(file).Split('\n');
        var reader = new ResourceReader();
        string[] replacements = ["~", "[]", "{}", "\"text\"", "-1", "99999999999999999999", "true"];

        for (var i = 0; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || lines[i].TrimStart().StartsWith("apiVersion", StringComparison.Ordinal))
                continue;
            foreach (var replacement in replacements)
            {
                var mutated = (string[])lines.Clone();
                mutated[i] = lines[i][..(colon + 2)] + replacement;
                var result = reader.Read(string.Join('\n', mutated), file);
                // Many of these are valid (an empty list, a null optional field); those that are not
                // must say where.
                Assert.All(result.Errors, e => Assert.InRange(e.Line, 1, lines.Length));
            }
        }
    }
}
