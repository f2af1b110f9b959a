namespace Tabby.Selectors.Indexing;

/// <summary>The selectors filed under one label key.</summary>
/// <remarks>The has() and fallback parts are null while empty, so label updates skip them without a memory load.</remarks>
internal sealed class SelectorKeyBucket
{
    /// <summary>Anchored on key == value.</summary>
    public Dictionary<string, AtomBucket> ByValue { get; } = new(StringComparer.Ordinal);

    /// <summary>Anchored on has(key).</summary>
    public AtomBucket? Present { get; set; }

    /// <summary>Fallback selectors that read this key: only these need a look when the key changes.</summary>
    public ReaderSet? Fallback { get; set; }

    public bool IsEmpty => ByValue.Count == 0 && Present is null && Fallback is null;
}
