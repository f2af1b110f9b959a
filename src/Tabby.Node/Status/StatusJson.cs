using System.Text.Json.Serialization;

namespace Tabby.Node.Status;

/// <summary>Source-generated JSON for the status report (camelCase, as the rest of Tabby's -o json).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(NodeStatusReport))]
public sealed partial class StatusJson : JsonSerializerContext;
