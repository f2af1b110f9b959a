namespace Tabby.Selectors.Indexing;

/// <summary>A set of registered selectors, walked through an array of <see cref="SelectorHandle"/>s rebuilt after it changes.</summary>
internal class SelectorSet
{
    private SelectorHandle[] _handles = [];

    // Created with the first member: most values of a key have none. The count sits inline so
    // that checking for members does not load the set.
    private HashSet<SelectorEntry>? _all;
    private int _count;

    public IReadOnlyCollection<SelectorEntry> All => (IReadOnlyCollection<SelectorEntry>?)_all ?? [];

    public bool IsEmpty => _count == 0;

    /// <summary>The members with their steps (cheaper to walk than the set).</summary>
    public ReadOnlySpan<SelectorHandle> Members
    {
        get
        {
            if (IsStale)
                Rebuild();
            return _handles;
        }
    }

    /// <summary>Members came or went since the arrays were built.</summary>
    protected bool IsStale { get; private set; }

    /// <summary>Adds a selector; its <see cref="SelectorEntry.Steps"/> (and <see cref="SelectorEntry.Reads"/>) must be set.</summary>
    public void Add(SelectorEntry s)
    {
        if ((_all ??= []).Add(s))
        {
            _count++;
            IsStale = true;
        }
    }

    public void Remove(SelectorEntry s)
    {
        if (_all is not null && _all.Remove(s))
        {
            _count--;
            IsStale = true;
        }
    }

    /// <summary>Rebuilds the arrays from the set; done on the first use after a change, so a burst of registrations costs one rebuild.</summary>
    protected virtual void Rebuild()
    {
        _handles = [.. All.Select(s => new SelectorHandle(s, s.Steps))];
        IsStale = false;
    }
}
