namespace Tabby.Selectors.Indexing;

/// <summary>The selectors filed under one label key.</summary>
/// <remarks>The has() and fallback parts are null while empty, so label updates skip them without a memory load.</remarks>
internal sealed class SelectorKeyBucket
{
    /// <summary>Anchored on key == value.</summary>
    public Dictionary<string, AtomBucket> ByValue { get; } = new(StringComparer.Ordinal);

    /// <summary>Anchored on has(key).</summary>
    public AtomBucket? Present { get; set; }

    /// <summary>The anchored selectors by what changes of which other keys can move their result.</summary>
    public Dictionary<SensitivityKey, List<SelectorEntry>> Sensitive { get; } = [];

    /// <summary>How many anchored selectors here read some key with contains/starts with/ends with.</summary>
    public int AnyValueReaders { get; private set; }

    /// <summary>Fallback selectors that read this key: only these need a look when the key changes.</summary>
    public ReaderSet? Fallback { get; set; }

    public bool IsEmpty => ByValue.Count == 0 && Present is null && Fallback is null;

    /// <summary>Files (or with <paramref name="add"/> false, unfiles) an anchored selector under every change it is sensitive to.</summary>
    public void FileSensitivity(string? anchorValue, SelectorEntry s, bool add)
    {
        foreach (var use in s.Uses)
        {
            Update(new SensitivityKey(anchorValue, use.Key, null, SensitivityMode.Presence), s, add);
            if (use.AnyValue)
            {
                Update(new SensitivityKey(anchorValue, use.Key, null, SensitivityMode.AnyValue), s, add);
                AnyValueReaders += add ? 1 : -1;
            }
            foreach (var literal in use.Literals)
                Update(new SensitivityKey(anchorValue, use.Key, literal, SensitivityMode.Literal), s, add);
        }
    }

    private void Update(SensitivityKey key, SelectorEntry s, bool add)
    {
        if (add)
        {
            if (Sensitive.TryGetValue(key, out var list))
                list.Add(s);
            else
                Sensitive.Add(key, [s]);
        }
        else if (Sensitive.TryGetValue(key, out var list) && list.Remove(s) && list.Count == 0)
            Sensitive.Remove(key);
    }
}
