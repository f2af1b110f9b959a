using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of an IPAMHandle: how many addresses the handle holds in each block.</summary>
public sealed class IPAMHandleSpec
{
    [AlwaysEmit]
    [ApiName("handleID")]
    public string? HandleId { get; set; }

    [AlwaysEmit]
    public Dictionary<string, int>? Block { get; set; }

    public bool Deleted { get; set; }
}
