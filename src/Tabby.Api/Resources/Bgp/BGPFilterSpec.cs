namespace Tabby.Api.Resources;

/// <summary>The spec of a BGPFilter: ordered import/export rules per address family.</summary>
public sealed class BGPFilterSpec
{
    public List<BGPFilterRule>? ExportV4 { get; set; }

    public List<BGPFilterRule>? ImportV4 { get; set; }

    public List<BGPFilterRule>? ExportV6 { get; set; }

    public List<BGPFilterRule>? ImportV6 { get; set; }
}
