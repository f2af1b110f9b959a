using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A policy or profile rule: match criteria and an action.</summary>
public sealed class Rule
{
    [AlwaysEmit]
    public string? Action { get; set; }

    public int? IpVersion { get; set; }

    public Protocol? Protocol { get; set; }

    public IcmpFields? Icmp { get; set; }

    public Protocol? NotProtocol { get; set; }

    [ApiName("notICMP")]
    public IcmpFields? NotIcmp { get; set; }

    public EntityRule? Source { get; set; }

    public EntityRule? Destination { get; set; }

    public HttpMatch? Http { get; set; }

    public RuleMetadata? Metadata { get; set; }
}
