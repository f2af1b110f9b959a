namespace Tabby.Selectors.Indexing;

/// <summary>The endpoints carrying one label key, by value; only for keys some selector could anchor on.</summary>
/// <remarks>
/// <para>
/// No set of all carriers: has(key) walks the value sets instead, so a label update touches one
/// small set per changed value rather than also a set as large as the cluster.
/// </para>
/// <para>
/// Until a selector is actually anchored on the key, only per-value counts are kept (all that cost
/// estimates need): a key like <c>tier</c>, which selectors could anchor on but never choose to
/// because a sibling condition is more selective, otherwise costs every update of it a removal
/// from and an insertion into sets of a quarter of the cluster, four cache misses or so for
/// nothing. The sets are built by one pass over the endpoints when the first selector anchors here.
/// </para>
/// </remarks>
internal sealed class EndpointKeyBucket
{
    /// <summary>The endpoints by value, once <see cref="HasSets"/>.</summary>
    public Dictionary<string, HashSet<EndpointEntry>> ByValue { get; } = new(StringComparer.Ordinal);

    /// <summary>How many endpoints carry each value, while not <see cref="HasSets"/>; null after.</summary>
    public Dictionary<string, int>? Counts { get; set; } = new(StringComparer.Ordinal);

    public bool HasSets => Counts is null;

    /// <summary>How many endpoints carry the key, for cost estimates.</summary>
    public int Count { get; set; }

    /// <summary>How many endpoints carry the key with this value, for cost estimates.</summary>
    public int CountOf(string value) =>
        Counts is not null ? Counts.GetValueOrDefault(value) : ByValue.TryGetValue(value, out var set) ? set.Count : 0;
}
