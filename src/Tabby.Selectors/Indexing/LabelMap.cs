using System.Diagnostics.CodeAnalysis;

namespace Tabby.Selectors.Indexing;

/// <summary>An endpoint's labels as the index keeps them: one array of slots, searched linearly.</summary>
/// <remarks>
/// Endpoints carry a handful of labels, and the index's copies are read by every re-evaluation
/// and diffed on every update, usually from cold memory. A Dictionary is three objects (itself,
/// buckets, entries) and hashes the key's characters on each lookup; here one array holds
/// everything, including each tracked label's <see cref="IndexedValue"/>, and since keys are
/// interned, as the parser does selector keys, a lookup is mostly a few reference comparisons.
/// Beyond <see cref="LinearLimit"/> labels a position dictionary is added so that a pathological
/// endpoint does not make lookups linear in its size.
/// </remarks>
internal sealed class LabelMap : IReadOnlyDictionary<string, string>
{
    internal const int LinearLimit = 16;

    private LabelSlot[] _slots;
    private int _count;
    private Dictionary<string, int>? _positions;

    public LabelMap(int capacity) => _slots = new LabelSlot[Math.Max(capacity, 1)];

    public int Count => _count;

    public ReadOnlySpan<LabelSlot> Slots => _slots.AsSpan(0, _count);

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<string> Values => this.Select(kv => kv.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public ref readonly LabelSlot SlotAt(int index) => ref _slots[index];

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }
        value = _slots[i].Value;
        return true;
    }

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int IndexOf(string key)
    {
        if (_positions is not null)
            return _positions.TryGetValue(key, out var p) ? p : -1;
        var slots = _slots;
        var count = _count;
        // Interned keys match on reference; the ordinal pass keeps callers with other instances correct.
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(slots[i].Key, key))
                return i;
        }
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(slots[i].Key, key, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    /// <summary>The value object of a tracked key, found by reference since tracked slots hold the key's own name instance.</summary>
    public IndexedValue? InfoOf(IndexedKey key)
    {
        if (_positions is not null)
            return _positions.TryGetValue(key.Name, out var p) ? _slots[p].Info : null;
        var slots = _slots;
        var name = key.Name;
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(slots[i].Key, name))
                return slots[i].Info;
        }
        return null;
    }

    /// <summary>Appends a label; the caller has checked that the key is absent.</summary>
    public void Add(string key, string value, IndexedValue? info)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_count == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        _slots[_count] = new LabelSlot(key, value, info);
        if (_positions is not null)
            _positions.Add(key, _count);
        else if (_count == LinearLimit)
        {
            _positions = new Dictionary<string, int>(_count + 1, StringComparer.Ordinal);
            for (var i = 0; i <= _count; i++)
                _positions.Add(_slots[i].Key, i);
        }
        _count++;
    }

    /// <summary>Replaces a slot's key instance (an equal string), value and value object.</summary>
    public void SetAt(int index, string key, string value, IndexedValue? info)
    {
        ArgumentNullException.ThrowIfNull(value);
        _slots[index] = new LabelSlot(key, value, info);
    }

    public void RemoveAt(int index)
    {
        // Order does not matter: move the last slot into the hole.
        var last = --_count;
        _positions?.Remove(_slots[index].Key);
        if (index != last)
        {
            _slots[index] = _slots[last];
            if (_positions is not null)
                _positions[_slots[index].Key] = index;
        }
        _slots[last] = default;
    }

    /// <summary>Adds the label or replaces its value (keeping the stored key instance), untracked.</summary>
    public void Set(string key, string value)
    {
        var i = IndexOf(key);
        if (i >= 0)
            SetAt(i, _slots[i].Key, value, null);
        else
            Add(key, value, null);
    }

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
            return false;
        RemoveAt(i);
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => Pairs().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Pairs().GetEnumerator();

    private IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        for (var i = 0; i < _count; i++)
            yield return new KeyValuePair<string, string>(_slots[i].Key, _slots[i].Value);
    }

    /// <summary>Allocation-free enumeration for the index's own loops.</summary>
    public struct Enumerator(LabelMap map)
    {
        private readonly LabelMap _map = map;
        private int _index = -1;

        public readonly KeyValuePair<string, string> Current => new(_map._slots[_index].Key, _map._slots[_index].Value);

        public bool MoveNext() => ++_index < _map._count;
    }
}
