namespace Tabby.Selectors.Indexing;

/// <summary>The selectors anchored on one atom, and which label changes can move each one's result.</summary>
/// <remarks>
/// <para>
/// The sensitivities sit in one flat array per atom, in runs by read key, with a small directory
/// of the keys in front, rather than in a dictionary per key bucket: a label update reaches the
/// atom through a reference, finds its key among a few references, and reads only that key's run
/// of contiguous entries. The arrays are rebuilt on the first visit after selectors come or go,
/// so loading thousands of selectors onto one atom costs one rebuild, not one each.
/// </para>
/// <para>
/// A key == value atom is the <see cref="IndexedValue"/> itself (it derives from this), so a visit
/// goes from an endpoint's slot straight to the runs; has(key) atoms are plain instances.
/// </para>
/// </remarks>
internal class AtomBucket : SelectorSet
{
    // The directory and the entries: a visit reads the bucket, one directory line and its run.
    private KeyRun[] _runs = [];
    private SensitivityEntry[] _entries = [];

    /// <summary>The entries of the selectors here that read <paramref name="readKey"/>; empty if none does.</summary>
    public ReadOnlySpan<SensitivityEntry> EntriesFor(IndexedKey readKey)
    {
        if (IsStale)
            Rebuild();
        foreach (var run in _runs)
        {
            if (ReferenceEquals(run.Key, readKey))
                return _entries.AsSpan(run.Start, run.Length);
        }
        return [];
    }

    protected override void Rebuild()
    {
        var byKey = new Dictionary<IndexedKey, List<SensitivityEntry>>();
        foreach (var s in All)
        {
            foreach (var read in s.Reads)
            {
                if (!byKey.TryGetValue(read.Key, out var run))
                {
                    run = [];
                    byKey.Add(read.Key, run);
                }
                run.Add(new SensitivityEntry(null, SensitivityMode.Presence, s, s.Steps));
                if (read.AnyValue)
                    run.Add(new SensitivityEntry(null, SensitivityMode.AnyValue, s, s.Steps));
                foreach (var literal in read.Literals)
                    run.Add(new SensitivityEntry(literal, SensitivityMode.Literal, s, s.Steps));
            }
        }
        var runs = new List<KeyRun>(byKey.Count);
        var entries = new List<SensitivityEntry>();
        foreach (var (key, run) in byKey)
        {
            runs.Add(new KeyRun(key, entries.Count, run.Count));
            entries.AddRange(run);
        }
        _runs = [.. runs];
        _entries = [.. entries];
        base.Rebuild();
    }
}
