namespace Tabby.Api.Serialization.Binding;

/// <summary>State for binding one document: where errors go and the line of every field path seen.</summary>
internal sealed class BindContext(string source, List<ResourceError> errors, int document = 0)
{
    public string Source { get; } = source;

    public List<ResourceError> Errors { get; } = errors;

    /// <summary>Field path to line, so validation errors (which know only paths) can be placed.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public bool HadErrors => FailedPaths.Count > 0;

    /// <summary>The paths errors were reported at, so validation does not report a field that failed to bind a second time.</summary>
    public HashSet<string> FailedPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>Lists whose items could not all be kept in place; validation errors inside them would name the wrong item.</summary>
    public HashSet<string> FailedPrefixes { get; } = new(StringComparer.Ordinal);

    public void Error(int line, string path, string message)
    {
        FailedPaths.Add(path);
        Errors.Add(new ResourceError(Source, line, path, message) { Document = document });
    }

    public void Record(string path, int line)
    {
        if (line > 0)
            Lines.TryAdd(path, line);
    }

    /// <summary>The line of a path, or of its nearest recorded ancestor (a missing field points at its parent).</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (Lines.TryGetValue(path, out var line))
                return line;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
                return Lines.GetValueOrDefault("", 0);
            path = path[..cut];
        }
    }
}
