namespace Tabby.Selectors.Indexing;

/// <summary>An endpoint's matching selectors: a small array scanned linearly, a hash set once it grows.</summary>
/// <remarks>
/// Every re-evaluation asks this set whether the selector matched before. Endpoints usually match
/// tens of selectors, and a short array is a few adjacent cache lines where a HashSet is three
/// separate objects, each a likely cache miss on a cold endpoint; scanning 64 references costs
/// less than one such miss. The limit is also set so that common endpoints never convert: a
/// conversion allocates a HashSet and its arrays, which under label churn is most of what the
/// index allocates before it settles.
/// </remarks>
internal sealed class MatchSet
{
    private const int ArrayLimit = 64;

    private SelectorEntry[] _items = new SelectorEntry[4];
    private int _count;
    private HashSet<SelectorEntry>? _large;

    public int Count => _large?.Count ?? _count;

    public bool Contains(SelectorEntry s)
    {
        if (_large is not null)
            return _large.Contains(s);
        var items = _items;
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(items[i], s))
                return true;
        }
        return false;
    }

    public bool Add(SelectorEntry s)
    {
        if (_large is not null)
            return _large.Add(s);
        if (Contains(s))
            return false;
        if (_count == ArrayLimit)
        {
            _large = new HashSet<SelectorEntry>(2 * ArrayLimit);
            foreach (var item in _items)
                _large.Add(item);
            _large.Add(s);
            _items = [];
            _count = 0;
            return true;
        }
        if (_count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = s;
        return true;
    }

    public bool Remove(SelectorEntry s)
    {
        if (_large is not null)
            return _large.Remove(s);
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_items[i], s))
            {
                // Order does not matter: move the last one into the hole.
                _items[i] = _items[--_count];
                _items[_count] = null!;
                return true;
            }
        }
        return false;
    }

    /// <summary>A snapshot, for the rare callers that enumerate (endpoint removal, checks).</summary>
    public SelectorEntry[] ToArray() => _large is not null ? [.. _large] : _items[.._count];

    public void Clear()
    {
        _large = null;
        _items = new SelectorEntry[4];
        _count = 0;
    }
}
