using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>An address a workload or node uses that IPAM never allocated.</summary>
public sealed class UnallocatedAddress
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";

    [JsonPropertyName("owners")]
    public List<string> Owners { get; set; } = [];
}
