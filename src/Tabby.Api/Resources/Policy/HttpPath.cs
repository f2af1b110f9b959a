namespace Tabby.Api.Resources;

/// <summary>An HTTP path to match, either exactly or by prefix (one of the two).</summary>
public sealed class HttpPath
{
    public string? Exact { get; set; }

    public string? Prefix { get; set; }
}
