namespace Tabby.Selectors.Indexing;

/// <summary>The selectors anchored on one atom.</summary>
internal sealed class AtomBucket
{
    public HashSet<SelectorEntry> All { get; } = [];

    public bool IsEmpty => All.Count == 0;
}
