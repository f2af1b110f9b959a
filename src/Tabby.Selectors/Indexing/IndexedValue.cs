namespace Tabby.Selectors.Indexing;

/// <summary>One value of an <see cref="IndexedKey"/>: the endpoints carrying it and the selectors that compare the key with it.</summary>
/// <remarks>
/// There is one object per (key, value) while anything uses it, so an endpoint's label slot and a
/// selector's literal for the same value hold the same reference: a label update tells which
/// literals it touches, and reaches the value's endpoints and selectors, by comparing and following
/// references, hashing only the one new value string. It is also the atom key == value: the
/// selectors anchored on it are filed in it (see <see cref="AtomBucket"/>).
/// </remarks>
internal sealed class IndexedValue(IndexedKey key, string text) : AtomBucket
{
    public IndexedKey Key { get; } = key;

    public string Text { get; } = text;

    /// <summary>How many endpoints carry the key with this value.</summary>
    public int EndpointCount { get; private set; }

    /// <summary>Those endpoints, once <see cref="IndexedKey.HasSets"/>.</summary>
    public EndpointSet? Endpoints { get; set; }

    /// <summary>Fallback selectors that compare the key with this value; null while none.</summary>
    public SelectorSet? FallbackReaders { get; set; }

    /// <summary>How many registered selectors compare the key with this value (each holds this object in its reads).</summary>
    public int SelectorRefs { get; set; }

    /// <summary>Nothing refers to it: it may be forgotten, and a later use gets a new object.</summary>
    public bool IsUnused => EndpointCount == 0 && SelectorRefs == 0;

    public void AddEndpoint(EndpointEntry e)
    {
        EndpointCount++;
        Key.EndpointCount++;
        if (Key.HasSets)
            (Endpoints ??= new EndpointSet()).Add(e);
    }

    public void RemoveEndpoint(EndpointEntry e)
    {
        EndpointCount--;
        Key.EndpointCount--;
        Endpoints?.Remove(e);
    }

    public override string ToString() => Key.Name + "=" + Text;
}
