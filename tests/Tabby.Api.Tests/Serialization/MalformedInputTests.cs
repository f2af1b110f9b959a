using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Serialization;

/// <summary>Whatever the input, the reader reports errors and never throws.</summary>
public class MalformedInputTests
{
    [Theory]
    [InlineData("policies.yaml")]
    [InlineData("felix.yaml")]
    [InlineData("misc.yaml")]
    [InlineData("bgp.yaml")]
    [InlineData("policy.json")]
    public void Truncated_manifests_give_errors_not_exceptions(string file)
    {
        var text = ManifestFiles.Text(file);
        var reader = new ResourceReader();

        for (var length = 0; length < text.Length; length += 7)
        {
            var result = reader.Read(text[..length], file);
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
        }
    }

    [Theory]
    [InlineData("policies.yaml")]
    [InlineData("misc.yaml")]
    [InlineData("felix.yaml")]
    public void Values_replaced_by_other_shapes_give_errors_not_exceptions(string file)
    {
        var lines = ManifestFiles.Text(file).Split('\n');
        var reader = new ResourceReader();
        string[] replacements = ["~", "[]", "{}", "[1, [2]]", "{a: b}", "\"text\"", "-1", "99999999999999999999", "true"];

        for (var i = 0; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || lines[i].TrimStart().StartsWith("apiVersion", StringComparison.Ordinal))
                continue;
            foreach (var replacement in replacements)
            {
                var mutated = (string[])lines.Clone();
                mutated[i] = lines[i][..(colon + 2)] + replacement;
                _ = reader.Read(string.Join('\n', mutated), file);
            }
        }
    }
}
