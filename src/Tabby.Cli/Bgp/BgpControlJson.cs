using System.Text.Json.Serialization;

namespace Tabby.Cli.Bgp;

/// <summary>Source-generated JSON for the control socket's answers (camelCase), so `tabby` needs no reflection
/// to write them and can be published NativeAOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BgpStatusReport))]
[JsonSerializable(typeof(IReadOnlyList<BgpRouteReport>))]
[JsonSerializable(typeof(BgpControlError))]
internal sealed partial class BgpControlJson : JsonSerializerContext;
