using System.Text.Json.Serialization;

namespace Tabby.Cli.Ipam;

/// <summary>Source-generated JSON for what the IPAM commands print with <c>-o json</c> (the library's reports have their own).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(AddressView))]
[JsonSerializable(typeof(ConfigView))]
[JsonSerializable(typeof(List<Tabby.Ipam.Client.ReleaseResult>))]
internal sealed partial class IpamCliJsonContext : JsonSerializerContext;
