using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>Source-generated JSON for check reports and repair results (no reflection: usable from NativeAOT tools).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IpamReport))]
[JsonSerializable(typeof(RepairResult))]
public sealed partial class IpamCheckJsonContext : JsonSerializerContext;
