using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>Who owns an allocation: its handle and free-form owner attributes.</summary>
public sealed class AllocationAttribute
{
    [ApiName("handle_id")]
    public string? HandleId { get; set; }

    [ApiName("secondary")]
    public Dictionary<string, string>? ActiveOwnerAttributes { get; set; }

    [ApiName("alternateOwnerAttrs")]
    public Dictionary<string, string>? AlternateOwnerAttributes { get; set; }

    /// <summary>When the allocation was released (RFC 3339); set while the address cools down.</summary>
    public string? ReleasedAt { get; set; }
}
