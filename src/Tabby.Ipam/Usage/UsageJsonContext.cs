using System.Text.Json.Serialization;

namespace Tabby.Ipam.Usage;

/// <summary>Source-generated JSON for usage reports (<c>tabby ipam show -o json</c>).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(UsageReport))]
public sealed partial class UsageJsonContext : JsonSerializerContext;
