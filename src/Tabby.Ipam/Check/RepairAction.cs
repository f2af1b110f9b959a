using System.Text.Json.Serialization;

namespace Tabby.Ipam.Check;

/// <summary>One problem of a report and what the repair did about it.</summary>
public sealed class RepairAction
{
    /// <summary>The problem list it came from, singular: <c>leakedAddress</c>, <c>leakedHandle</c>, <c>pendingAffinity</c>, ...</summary>
    [JsonPropertyName("problem")]
    public string Problem { get; set; } = "";

    /// <summary>What it is about: an address, a handle id, <c>host → block</c>, a block key.</summary>
    [JsonPropertyName("target")]
    public string Target { get; set; } = "";

    [JsonPropertyName("outcome")]
    [JsonConverter(typeof(JsonStringEnumConverter<RepairOutcome>))]
    public RepairOutcome Outcome { get; set; }

    /// <summary>What was done, or why not.</summary>
    [JsonPropertyName("detail")]
    public string Detail { get; set; } = "";
}
