using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>What <c>tabby ipam check</c> found at one datastore revision; <see cref="IpamRepairer"/> applies it.</summary>
/// <remarks>
/// Everything in it was read at <see cref="Revision"/>, so it describes one consistent state. The field
/// names are a stable format (see docs/ipam.md): a report written by one version is read by the next.
/// </remarks>
public sealed class IpamReport
{
    /// <summary>The format this version writes and reads.</summary>
    public const string CurrentFormat = "tabby.ipam.check/v1";

    [JsonPropertyName("format")]
    public string Format { get; set; } = CurrentFormat;

    /// <summary>The datastore revision everything was read at.</summary>
    [JsonPropertyName("revision")]
    public long Revision { get; set; }

    /// <summary>When the check ran (RFC 3339, UTC).</summary>
    [JsonPropertyName("checkedAt")]
    public string CheckedAt { get; set; } = "";

    /// <summary>The datastore's ClusterInformation GUID, when it has one: a report is applied only to the cluster it was made of.</summary>
    [JsonPropertyName("clusterGUID")]
    public string? ClusterGuid { get; set; }

    /// <summary>Allocations younger than this many seconds with no user yet count as in flight, not leaked.</summary>
    [JsonPropertyName("leakGraceSeconds")]
    public int LeakGraceSeconds { get; set; }

    [JsonPropertyName("summary")]
    public ReportSummary Summary { get; set; } = new();

    /// <summary>Every allocation of every block, in address order.</summary>
    [JsonPropertyName("allocations")]
    public List<ReportAllocation> Allocations { get; set; } = [];

    [JsonPropertyName("problems")]
    public ReportProblems Problems { get; set; } = new();

    /// <summary>Things that are not IPAM problems but limit what the check could see (an endpoint address that does not parse, a pool that does not parse).</summary>
    [JsonPropertyName("notes")]
    public List<string> Notes { get; set; } = [];
}
