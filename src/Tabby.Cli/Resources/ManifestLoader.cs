using Tabby.Api.Serialization;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>Reads the manifests named by <c>-f</c>: files, directories (their .yaml, .yml and .json files, sorted) and <c>-</c> for stdin.</summary>
public static class ManifestLoader
{
    public const string StdinSource = "<stdin>";

    private static readonly string[] s_extensions = [".yaml", ".yml", ".json"];

    /// <summary>Reads every manifest; a missing path or an empty directory is an error like a bad document.</summary>
    public static ManifestSet Load(IReadOnlyList<string> paths, Func<TextReader> stdin)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(stdin);
        var reader = new ResourceReader();
        var resources = new List<ResourceWrite>();
        var errors = new List<string>();
        var files = 0;
        foreach (var (source, text) in Expand(paths, stdin, errors))
        {
            files++;
            var result = reader.Read(text, source);
            errors.AddRange(result.Errors.Select(e => e.ToString()));
            resources.AddRange(result.Resources.Select(r => new ResourceWrite(r, source)));
        }
        return new ManifestSet(resources, errors, files);
    }

    private static IEnumerable<(string Source, string Text)> Expand(IReadOnlyList<string> paths, Func<TextReader> stdin, List<string> errors)
    {
        foreach (var path in paths)
        {
            if (path == "-")
            {
                yield return (StdinSource, stdin().ReadToEnd());
                continue;
            }
            if (Directory.Exists(path))
            {
                // Ordinal order, so a directory applies the same way on every machine.
                var entries = Directory.EnumerateFiles(path)
                    .Where(f => s_extensions.Any(x => f.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (entries.Count == 0)
                    errors.Add($"{path}: no .yaml, .yml or .json files in this directory");
                foreach (var entry in entries)
                {
                    if (TryRead(entry, errors, out var text))
                        yield return (entry, text);
                }
                continue;
            }
            if (!File.Exists(path))
            {
                errors.Add($"{path}: no such file or directory");
                continue;
            }
            if (TryRead(path, errors, out var fileText))
                yield return (path, fileText);
        }
    }

    private static bool TryRead(string path, List<string> errors, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read: {e.Message}");
            text = "";
            return false;
        }
    }
}
