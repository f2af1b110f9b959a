using System.Text.Json.Serialization;

namespace Tabby.Cli.Ipam;

/// <summary>Who holds one address (<c>tabby ipam show --ip ADDR -o json</c>).</summary>
public sealed class AddressView
{
    [JsonPropertyName("ip")]
    public string Ip { get; set; } = "";

    [JsonPropertyName("allocated")]
    public bool Allocated { get; set; }

    [JsonPropertyName("block")]
    public string? Block { get; set; }

    /// <summary>The block's affinity, <c>host:&lt;node&gt;</c>, or null.</summary>
    [JsonPropertyName("blockAffinity")]
    public string? BlockAffinity { get; set; }

    [JsonPropertyName("handle")]
    public string? Handle { get; set; }

    [JsonPropertyName("sequenceNumber")]
    public ulong? SequenceNumber { get; set; }

    [JsonPropertyName("attributes")]
    public Dictionary<string, string> Attributes { get; set; } = [];

    /// <summary>Allocated by a node other than the block's host.</summary>
    [JsonPropertyName("borrowed")]
    public bool Borrowed { get; set; }

    /// <summary>When the address was released, while it cools down before reuse.</summary>
    [JsonPropertyName("releasedAt")]
    public string? ReleasedAt { get; set; }

    /// <summary>Workload endpoints and nodes using the address.</summary>
    [JsonPropertyName("usedBy")]
    public List<string> UsedBy { get; set; } = [];
}
