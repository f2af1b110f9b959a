namespace Tabby.Selectors.Indexing;

/// <summary>A set of endpoints, also searchable by ID: a flat open-addressed table of references and their ID hashes.</summary>
/// <remarks>
/// <para>
/// The index keeps all its endpoints in one (every update starts by finding the endpoint by ID)
/// and the endpoints carrying each value of an anchored key in others (every update of such a key
/// moves the endpoint from one to another, each a set of hundreds out of cache). A Dictionary or
/// HashSet reads its bucket array and then its entry array, two misses and more on a chain; here a
/// probe reads one run of adjacent slots. Each slot keeps its entry's hash, so a probe compares
/// the ID only on a hash hit (loading the entry, which the caller wants next anyway), and removal
/// (by backward shift, so no tombstones accumulate) never loads other entries. At most half full.
/// </para>
/// <para>
/// The hash is the randomized string hash, so IDs chosen to collide (pod names are user input)
/// cannot make probes long.
/// </para>
/// </remarks>
internal sealed class EndpointSet
{
    private const int MinCapacity = 8;

    private Slot[] _slots = new Slot[MinCapacity];
    private int _count;

    // Index = the hash's top bits after a Fibonacci multiply.
    private int _shift = 32 - 3;

    public int Count => _count;

    public static int HashOf(string id) => StringComparer.Ordinal.GetHashCode(id);

    /// <summary>The member with this ID, or null.</summary>
    public EndpointEntry? Find(string id)
    {
        var hash = HashOf(id);
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = IndexOf(hash); slots[i].Entry is { } x; i = (i + 1) & mask)
        {
            if (slots[i].Hash == hash && (ReferenceEquals(x.Id, id) || string.Equals(x.Id, id, StringComparison.Ordinal)))
                return x;
        }
        return null;
    }

    public bool Contains(EndpointEntry e) => Probe(e) >= 0;

    /// <summary>Adds the entry; false if it is already a member. The caller keeps IDs unique.</summary>
    public bool Add(EndpointEntry e)
    {
        if ((_count + 1) * 2 > _slots.Length)
            Resize(_slots.Length * 2);
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = IndexOf(e.Hash);
        for (; slots[i].Entry is { } x; i = (i + 1) & mask)
        {
            if (ReferenceEquals(x, e))
                return false;
        }
        slots[i] = new Slot(e, e.Hash);
        _count++;
        return true;
    }

    public bool Remove(EndpointEntry e)
    {
        var i = Probe(e);
        if (i < 0)
            return false;
        RemoveAt(i);
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    private int Probe(EndpointEntry e)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = IndexOf(e.Hash); slots[i].Entry is { } x; i = (i + 1) & mask)
        {
            if (ReferenceEquals(x, e))
                return i;
        }
        return -1;
    }

    private void RemoveAt(int hole)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        // Pull later members of the run back into the hole when that keeps them at or after
        // their home slot, so every member stays reachable from its home without gaps.
        for (var j = (hole + 1) & mask; slots[j].Entry is not null; j = (j + 1) & mask)
        {
            var home = IndexOf(slots[j].Hash);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = default;
        _count--;
        if (_count * 8 < slots.Length && slots.Length > MinCapacity)
            Resize(slots.Length / 2);
    }

    private int IndexOf(int hash) => (int)(((uint)hash * 2654435769u) >> _shift);

    private void Resize(int capacity)
    {
        var old = _slots;
        _slots = new Slot[capacity];
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
        var mask = capacity - 1;
        foreach (var slot in old)
        {
            if (slot.Entry is null)
                continue;
            var i = IndexOf(slot.Hash);
            while (_slots[i].Entry is not null)
                i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }

    private readonly record struct Slot(EndpointEntry? Entry, int Hash);

    /// <summary>Allocation-free enumeration; the set must not change meanwhile.</summary>
    public struct Enumerator(EndpointSet set)
    {
        private readonly Slot[] _slots = set._slots;
        private int _index = -1;

        public readonly EndpointEntry Current => _slots[_index].Entry!;

        public bool MoveNext()
        {
            while (++_index < _slots.Length)
            {
                if (_slots[_index].Entry is not null)
                    return true;
            }
            return false;
        }
    }
}
