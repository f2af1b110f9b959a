using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>Source-generated JSON for the stored IPAM objects: no reflection, so the NativeAOT CNI plugin can use it.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AllocationBlock))]
[JsonSerializable(typeof(BlockAffinity))]
[JsonSerializable(typeof(IpamHandle))]
[JsonSerializable(typeof(IpamConfig))]
internal sealed partial class IpamJsonContext : JsonSerializerContext;
