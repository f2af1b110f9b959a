namespace Tabby.Selectors.Indexing;

/// <summary>A label key some selector reads: its values, how many endpoints carry it, and the selectors filed under it.</summary>
/// <remarks>
/// A label update reaches everything it needs about a changed key from this one object (found
/// through the endpoint's own label slot, so usually without hashing the key), where a lookup per
/// concern (endpoint filing, anchor keys, has() atoms, fallback readers) used to hash it each time.
/// </remarks>
internal sealed class IndexedKey
{
    private readonly Dictionary<IndexedKey, int> _anchorKeyCounts = [];
    private IndexedKey[] _anchorKeys = [];

    public IndexedKey(string name) => Name = string.Intern(name);

    /// <summary>Interned, and the instance every endpoint slot of this key holds, so slots are found by reference.</summary>
    public string Name { get; }

    /// <summary>The values endpoints carry or selectors compare this key with, one object each.</summary>
    public Dictionary<string, IndexedValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>How many endpoints carry the key.</summary>
    public int EndpointCount { get; set; }

    /// <summary>
    /// Whether each value keeps its set of endpoints, which anchored selectors need to find their
    /// candidates. Until a selector anchors on the key only counts are kept: a key like <c>tier</c>
    /// that selectors read but never anchor on would otherwise cost every update of it a removal
    /// from and an insertion into sets of a quarter of the cluster. Kept once switched on.
    /// </summary>
    public bool HasSets { get; set; }

    /// <summary>Selectors anchored on has(key); null while none, so updates skip it without a load.</summary>
    public AtomBucket? Present { get; set; }

    /// <summary>Fallback selectors that read the key: all of them may move when it appears or goes away.</summary>
    public SelectorSet? FallbackReaders { get; set; }

    /// <summary>Fallback selectors that read its value with contains/starts with/ends with: any value change may move them.</summary>
    public SelectorSet? FallbackAnyValue { get; set; }

    /// <summary>
    /// The keys that anchored selectors reading this key are anchored on: a change of <c>version</c>
    /// then looks only at the endpoint's labels something reading <c>version</c> is anchored on.
    /// </summary>
    public ReadOnlySpan<IndexedKey> AnchorKeys => _anchorKeys;

    /// <summary>The object for this value, created (unused) if there is none yet.</summary>
    public IndexedValue Intern(string value)
    {
        if (!Values.TryGetValue(value, out var v))
        {
            v = new IndexedValue(this, value);
            Values.Add(value, v);
        }
        return v;
    }

    public IndexedValue? Find(string value) => Values.GetValueOrDefault(value);

    /// <summary>Forgets the value if nothing uses it any more, so churning values do not accumulate.</summary>
    public void ReleaseIfUnused(IndexedValue value)
    {
        if (value.IsUnused)
            Values.Remove(value.Text);
    }

    /// <summary>Counts an anchored selector that reads this key and is anchored on <paramref name="anchorKey"/> (delta ±1).</summary>
    public void CountAnchorKey(IndexedKey anchorKey, int delta)
    {
        var count = _anchorKeyCounts.GetValueOrDefault(anchorKey) + delta;
        if (count > 0)
        {
            if (_anchorKeyCounts.TryAdd(anchorKey, count))
                _anchorKeys = [.. _anchorKeyCounts.Keys];
            else
                _anchorKeyCounts[anchorKey] = count;
        }
        else if (_anchorKeyCounts.Remove(anchorKey))
            _anchorKeys = [.. _anchorKeyCounts.Keys];
    }

    public override string ToString() => Name;
}
