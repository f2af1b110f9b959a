using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of an IPPool.</summary>
public sealed class IPPoolSpec
{
    [AlwaysEmit]
    public string? Cidr { get; set; }

    public string? VxlanMode { get; set; }

    public string? IpipMode { get; set; }

    public bool NatOutgoing { get; set; }

    public bool Disabled { get; set; }

    [ApiName("disableBGPExport")]
    public bool DisableBgpExport { get; set; }

    public int BlockSize { get; set; }

    public string? NodeSelector { get; set; }

    public string? NamespaceSelector { get; set; }

    public List<string>? AllowedUses { get; set; }

    public string? AssignmentMode { get; set; }
}
