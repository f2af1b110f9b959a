namespace Tabby.Api.Resources;

/// <summary>An ICMP type and optional code to match.</summary>
public sealed class IcmpFields
{
    public int? Type { get; set; }

    public int? Code { get; set; }
}
