using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>Everything a repair did, one action per problem of the report, in the order they were taken.</summary>
public sealed class RepairResult
{
    /// <summary>The revision of the report that was applied.</summary>
    [JsonPropertyName("reportRevision")]
    public long ReportRevision { get; set; }

    [JsonPropertyName("actions")]
    public List<RepairAction> Actions { get; set; } = [];

    public int Count(RepairOutcome outcome) => Actions.Count(a => a.Outcome == outcome);
}
