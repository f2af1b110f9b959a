namespace Tabby.Api.Validation;

/// <summary>A validation failure at a field path, e.g. <c>spec.blockSize</c>: <c>33 is out of range 20-32</c>.</summary>
public sealed record FieldError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
