using System.Diagnostics.CodeAnalysis;

namespace Tabby.Selectors.Indexing;

/// <summary>An endpoint's labels as the index keeps them: keys and values side by side in one array, searched linearly.</summary>
/// <remarks>
/// Endpoints carry a handful of labels, and the index's copies are read by every re-evaluation
/// and diffed on every update, usually from cold memory. A Dictionary is three objects (itself,
/// buckets, entries) and hashes the key's characters on each lookup; here one array holds
/// everything, and since the index interns its keys, as the parser does selector keys, a lookup
/// is mostly a few reference comparisons. Beyond <see cref="LinearLimit"/> labels a dictionary
/// takes over so that a pathological endpoint does not make lookups linear in its size.
/// </remarks>
internal sealed class LabelMap : IReadOnlyDictionary<string, string>
{
    internal const int LinearLimit = 16;

    // key0, value0, key1, value1, ...
    private string[] _items;
    private int _count;
    private Dictionary<string, string>? _large;

    public LabelMap(int capacity) => _items = new string[Math.Clamp(capacity, 1, LinearLimit) * 2];

    public int Count => _large?.Count ?? _count;

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<string> Values => this.Select(kv => kv.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_large is not null)
            return _large.TryGetValue(key, out value);
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }
        value = _items[i + 1];
        return true;
    }

    /// <summary>Adds the label or replaces its value (keeping the stored key instance).</summary>
    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_large is not null)
        {
            _large[key] = value;
            return;
        }
        var i = IndexOf(key);
        if (i >= 0)
        {
            _items[i + 1] = value;
            return;
        }
        if (_count == LinearLimit)
        {
            _large = new Dictionary<string, string>(_count + 1, StringComparer.Ordinal);
            for (var j = 0; j < _count; j++)
                _large.Add(_items[2 * j], _items[(2 * j) + 1]);
            _large.Add(key, value);
            _items = [];
            _count = 0;
            return;
        }
        if (2 * _count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[2 * _count] = key;
        _items[(2 * _count) + 1] = value;
        _count++;
    }

    public bool Remove(string key)
    {
        if (_large is not null)
            return _large.Remove(key);
        var i = IndexOf(key);
        if (i < 0)
            return false;
        // Order does not matter: move the last pair into the hole.
        var last = 2 * (--_count);
        _items[i] = _items[last];
        _items[i + 1] = _items[last + 1];
        _items[last] = null!;
        _items[last + 1] = null!;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() =>
        _large is not null ? _large.GetEnumerator() : Pairs().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, string>>)this).GetEnumerator();

    private IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        for (var i = 0; i < _count; i++)
            yield return new KeyValuePair<string, string>(_items[2 * i], _items[(2 * i) + 1]);
    }

    private int IndexOf(string key)
    {
        var items = _items;
        var end = 2 * _count;
        // Interned keys match on reference; the ordinal pass keeps callers with other instances correct.
        for (var i = 0; i < end; i += 2)
        {
            if (ReferenceEquals(items[i], key))
                return i;
        }
        for (var i = 0; i < end; i += 2)
        {
            if (string.Equals(items[i], key, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    /// <summary>Allocation-free enumeration for the index's own loops.</summary>
    public struct Enumerator(LabelMap map)
    {
        private readonly LabelMap _map = map;
        private Dictionary<string, string>.Enumerator _large = map._large?.GetEnumerator() ?? default;
        private int _index = -1;

        public readonly KeyValuePair<string, string> Current => _map._large is not null
            ? _large.Current
            : new KeyValuePair<string, string>(_map._items[2 * _index], _map._items[(2 * _index) + 1]);

        public bool MoveNext() => _map._large is not null ? _large.MoveNext() : ++_index < _map._count;
    }
}
