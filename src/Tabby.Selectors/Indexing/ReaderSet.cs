namespace Tabby.Selectors.Indexing;

/// <summary>The selectors of one bucket that read one key, split by the literal values they compare it with.</summary>
internal sealed class ReaderSet
{
    public HashSet<SelectorEntry> All { get; } = [];

    /// <summary>Selectors that compare the key with this literal.</summary>
    public Dictionary<string, HashSet<SelectorEntry>> ByLiteral { get; } = new(StringComparer.Ordinal);

    /// <summary>Selectors for which any value change may matter; null when none, the usual case, so a visit costs no extra load.</summary>
    public HashSet<SelectorEntry>? AnyValue { get; private set; }

    public bool IsEmpty => All.Count == 0;

    public void Add(SelectorEntry s, KeyUse use)
    {
        All.Add(s);
        if (use.AnyValue)
            (AnyValue ??= []).Add(s);
        foreach (var literal in use.Literals)
        {
            if (ByLiteral.TryGetValue(literal, out var set))
                set.Add(s);
            else
                ByLiteral.Add(literal, [s]);
        }
    }

    public void Remove(SelectorEntry s, KeyUse use)
    {
        All.Remove(s);
        if (AnyValue is not null && AnyValue.Remove(s) && AnyValue.Count == 0)
            AnyValue = null;
        foreach (var literal in use.Literals)
        {
            if (ByLiteral.TryGetValue(literal, out var set) && set.Remove(s) && set.Count == 0)
                ByLiteral.Remove(literal);
        }
    }
}
