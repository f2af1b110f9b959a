using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>An address held twice: by more than one block, or used by more than one owner.</summary>
public sealed class DuplicateAddress
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";

    /// <summary>Every allocation of the address (more than one when blocks overlap).</summary>
    [JsonPropertyName("allocations")]
    public List<AllocationRef> Allocations { get; set; } = [];

    /// <summary>Every user of the address (more than one when workloads or nodes share it).</summary>
    [JsonPropertyName("owners")]
    public List<string> Owners { get; set; } = [];
}
