namespace Tabby.Selectors.Indexing;

/// <summary>The selectors anchored on one atom, and which label changes can move each one's result.</summary>
/// <remarks>
/// The sensitivities sit in one flat array per atom, in runs by read key, with a small directory
/// of the keys in front, rather than in a dictionary per key bucket: a label update reaches the
/// atom through one lookup, finds its key among a few references, and reads only that key's run
/// of contiguous entries, where the dictionary cost a cold hash-table probe (and three string
/// hashes) for every literal and mode it tried. The arrays are rebuilt on the first visit after
/// selectors come or go, so loading thousands of selectors onto one atom costs one rebuild, not one each.
/// </remarks>
internal sealed class AtomBucket
{
    private string[] _keys = [];

    // Run i, for _keys[i], is _entries[_starts[i].._starts[i + 1]].
    private int[] _starts = [0];
    private SensitivityEntry[] _entries = [];
    private bool _stale;

    public HashSet<SelectorEntry> All { get; } = [];

    public bool IsEmpty => All.Count == 0;

    /// <summary>The entries of the selectors here that read <paramref name="readKey"/>; empty if none does.</summary>
    public ReadOnlySpan<SensitivityEntry> EntriesFor(string readKey)
    {
        if (_stale)
            Rebuild();
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], readKey, StringComparison.Ordinal))
                return _entries.AsSpan(_starts[i], _starts[i + 1] - _starts[i]);
        }
        return [];
    }

    public void Add(SelectorEntry s)
    {
        if (All.Add(s))
            _stale = true;
    }

    public void Remove(SelectorEntry s)
    {
        if (All.Remove(s))
            _stale = true;
    }

    private void Rebuild()
    {
        var byKey = new SortedDictionary<string, List<SensitivityEntry>>(StringComparer.Ordinal);
        foreach (var s in All)
        {
            foreach (var use in s.Uses)
            {
                if (!byKey.TryGetValue(use.Key, out var run))
                {
                    run = [];
                    byKey.Add(use.Key, run);
                }
                run.Add(new SensitivityEntry(null, SensitivityMode.Presence, s, s.Evaluator));
                if (use.AnyValue)
                    run.Add(new SensitivityEntry(null, SensitivityMode.AnyValue, s, s.Evaluator));
                foreach (var literal in use.Literals)
                    run.Add(new SensitivityEntry(literal, SensitivityMode.Literal, s, s.Evaluator));
            }
        }
        _keys = [.. byKey.Keys];
        _starts = new int[_keys.Length + 1];
        var entries = new List<SensitivityEntry>();
        var i = 0;
        foreach (var run in byKey.Values)
        {
            _starts[i++] = entries.Count;
            entries.AddRange(run);
        }
        _starts[i] = entries.Count;
        _entries = [.. entries];
        _stale = false;
    }
}
