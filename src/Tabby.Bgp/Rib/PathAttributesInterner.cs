using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Rib;

/// <summary>Reference-counted attribute sets under small integer IDs, so 100,000 prefixes sharing one set hold one object and four bytes each.</summary>
/// <remarks>
/// The Loc-RIB stores IDs, not references: its big tables then hold no pointers for the garbage collector to
/// trace or copy. An ID is reused once its last reference is released, so code on other threads is handed the
/// attribute objects themselves, never IDs. Not thread-safe: the RIB is single-threaded by design.
/// </remarks>
public sealed class PathAttributesInterner
{
    private readonly Dictionary<PathAttributes, int> _ids = [];
    private PathAttributes?[] _sets = new PathAttributes?[64];
    private int[] _references = new int[64];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _used;

    // The last set acquired: an UPDATE's prefixes all share one attribute object, so consecutive
    // acquisitions of the same reference skip the hash lookup (and its deep compare).
    private PathAttributes? _lastInput;
    private int _lastId = -1;

    /// <summary>Distinct attribute sets held.</summary>
    public int Count => _ids.Count;

    public PathAttributes this[int id] => _sets[id]!;

    /// <summary>The ID of the set equal to <paramref name="attributes"/>, counting a reference to it.</summary>
    public int Acquire(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (ReferenceEquals(attributes, _lastInput) && _lastId >= 0 && _references[_lastId] > 0)
        {
            _references[_lastId]++;
            return _lastId;
        }
        if (!_ids.TryGetValue(attributes, out var id))
        {
            id = _freeCount > 0 ? _free[--_freeCount] : _used++;
            if (id == _sets.Length)
            {
                Array.Resize(ref _sets, id * 2);
                Array.Resize(ref _references, id * 2);
            }
            _sets[id] = attributes;
            _references[id] = 0;
            _ids.Add(attributes, id);
        }
        _references[id]++;
        _lastInput = attributes;
        _lastId = id;
        return id;
    }

    /// <summary>Counts one more reference to a set already held.</summary>
    public void AddReference(int id) => _references[id]++;

    /// <summary>Drops one reference; the set is forgotten (and its ID free for reuse) when none remain.</summary>
    public void Release(int id)
    {
        if (--_references[id] > 0)
            return;
        _ids.Remove(_sets[id]!);
        _sets[id] = null;
        if (_freeCount == _free.Length)
            Array.Resize(ref _free, _freeCount * 2);
        _free[_freeCount++] = id;
        if (id == _lastId)
        {
            _lastId = -1;
            _lastInput = null;
        }
    }
}
