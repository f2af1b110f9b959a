namespace Tabby.Selectors.Indexing;

/// <summary>The label keys selectors read, each with the values in use: one object per key and per (key, value).</summary>
/// <remarks>
/// A key is tracked from the first selector that reads it and stays tracked (the index then keeps
/// every endpoint's slot for it pointing at its value's object); values come and go with their users.
/// Keys no selector reads are not tracked at all, so a label nobody selects on costs nothing.
/// </remarks>
internal sealed class LabelCatalog
{
    private readonly Dictionary<string, IndexedKey> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<IndexedKey> Keys => _keys.Values;

    public IndexedKey? Find(string key) => _keys.GetValueOrDefault(key);

    /// <summary>The key's object; <paramref name="added"/> says it is new, and the caller must file the endpoints' existing labels under it.</summary>
    public IndexedKey Track(string key, out bool added)
    {
        added = false;
        if (_keys.TryGetValue(key, out var k))
            return k;
        k = new IndexedKey(key);
        _keys.Add(k.Name, k);
        added = true;
        return k;
    }

    /// <summary>Resolves a registered selector's uses (their keys must be tracked) and counts its literals as used.</summary>
    public IndexedRead[] Acquire(KeyUse[] uses)
    {
        var reads = new IndexedRead[uses.Length];
        for (var i = 0; i < uses.Length; i++)
        {
            var use = uses[i];
            var key = _keys.TryGetValue(use.Key, out var k) ? k : throw new InvalidOperationException($"label key {use.Key} is not tracked");
            var literals = new IndexedValue[use.Literals.Length];
            for (var j = 0; j < literals.Length; j++)
            {
                literals[j] = key.Intern(use.Literals[j]);
                literals[j].SelectorRefs++;
            }
            reads[i] = new IndexedRead(key, literals, use.AnyValue);
        }
        return reads;
    }

    /// <summary>Undoes <see cref="Acquire"/>, forgetting values nothing uses any more.</summary>
    public static void Release(IndexedRead[] reads)
    {
        foreach (var read in reads)
        {
            foreach (var literal in read.Literals)
            {
                literal.SelectorRefs--;
                read.Key.ReleaseIfUnused(literal);
            }
        }
    }
}
