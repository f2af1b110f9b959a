namespace Tabby.Api.Resources;

/// <summary>Annotations attached to one rule.</summary>
public sealed class RuleMetadata
{
    public Dictionary<string, string>? Annotations { get; set; }
}
