namespace Tabby.Api.Serialization;

/// <summary>The two text formats resources are read from and written to.</summary>
public enum ResourceFormat
{
    Yaml,
    Json,
}
