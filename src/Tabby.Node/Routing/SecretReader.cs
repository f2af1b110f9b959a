namespace Tabby.Node.Routing;

/// <summary>Reads BGP passwords named by Calico's secretKeyRef (name, key) from files: <c>&lt;dir&gt;/&lt;name&gt;/&lt;key&gt;</c>.</summary>
/// <remarks>Calico reads Kubernetes Secrets; without Kubernetes, a directory of files (as a Secret is mounted) plays that part.</remarks>
public sealed class SecretReader(string directory)
{
    /// <summary>The secret's text, or null with the reason when it cannot be read.</summary>
    public string? Read((string Name, string Key) reference, out string? problem)
    {
        var (name, key) = reference;
        if (name.Contains('/', StringComparison.Ordinal) || key.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal))
        {
            problem = $"secret {name}/{key}: names may not contain '/' or '..'";
            return null;
        }

        var path = Path.Combine(directory, name, key);
        try
        {
            problem = null;
            return File.ReadAllText(path).TrimEnd('\n', '\r');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"secret {name}/{key}: {path}: {e.Message}";
            return null;
        }
    }
}
