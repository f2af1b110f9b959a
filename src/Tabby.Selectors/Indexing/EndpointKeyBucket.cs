namespace Tabby.Selectors.Indexing;

/// <summary>The endpoints carrying one label key, by value; only for keys some selector could anchor on.</summary>
/// <remarks>
/// No set of all carriers: has(key) walks the value sets instead, so a label update touches one
/// small set per changed value rather than also a set as large as the cluster.
/// </remarks>
internal sealed class EndpointKeyBucket
{
    public Dictionary<string, HashSet<EndpointEntry>> ByValue { get; } = new(StringComparer.Ordinal);

    /// <summary>How many endpoints carry the key, for cost estimates.</summary>
    public int Count { get; set; }
}
