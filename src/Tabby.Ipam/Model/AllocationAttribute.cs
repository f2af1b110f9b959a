using System.Text.Json.Serialization;

namespace Tabby.Ipam.Model;

/// <summary>Who owns one or more allocations of a block: the handle and owner attributes (Calico's model.AllocationAttribute).</summary>
public sealed class AllocationAttribute
{
    [JsonPropertyName("handle_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HandleId { get; set; }

    /// <summary>The active owner: node, namespace, pod, timestamp.</summary>
    [JsonPropertyName("secondary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? ActiveOwnerAttrs { get; set; }

    [JsonPropertyName("alternateOwnerAttrs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AlternateOwnerAttrs { get; set; }

    /// <summary>Set when the allocations were released and are cooling down before reuse (RFC 3339).</summary>
    [JsonPropertyName("releasedAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReleasedAt { get; set; }
}
