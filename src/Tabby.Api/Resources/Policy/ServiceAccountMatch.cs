namespace Tabby.Api.Resources;

/// <summary>Service accounts a rule matches, by name and/or label selector.</summary>
public sealed class ServiceAccountMatch
{
    public List<string>? Names { get; set; }

    public string? Selector { get; set; }
}
