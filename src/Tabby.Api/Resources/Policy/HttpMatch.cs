namespace Tabby.Api.Resources;

/// <summary>HTTP request criteria (methods and paths) of an Allow rule.</summary>
public sealed class HttpMatch
{
    public List<string>? Methods { get; set; }

    public List<HttpPath>? Paths { get; set; }
}
