using System.Runtime.CompilerServices;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>A hash table keyed by prefix, with stable slots: what the Loc-RIB and every Adj-RIB-Out are built on.</summary>
/// <remarks>
/// Why not <see cref="Dictionary{TKey, TValue}"/>: a full-table burst does several lookups per prefix,
/// and the BCL dictionary instantiated over our value types is not precompiled by ReadyToRun, so the
/// first 100,000 prefixes after start ran through tier-0 JIT code, several times slower than this.
/// Here the hash is cached per slot (resizes never rehash), buckets are a power of two, and a slot
/// keeps its index until the key is removed, so callers can queue slot numbers instead of keys and
/// come back without a second lookup. Removal during a slot walk is safe. Single-threaded.
/// </remarks>
public sealed class PrefixTable<TValue>
{
    private const int Free = -2;
    private int[] _buckets;
    private Slot[] _slots;
    private int _used;
    private int _count;
    private int _freeList = -1;

    public PrefixTable(int capacity = 16)
    {
        var size = 16;
        while (size < capacity)
            size <<= 1;
        _buckets = new int[size];
        _slots = new Slot[size];
    }

    public int Count => _count;

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(IpPrefix key)
    {
        var hash = key.GetHashCode();
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = _slots[i].Next)
        {
            ref var slot = ref _slots[i];
            if (slot.Hash == hash && slot.Key.Equals(key))
                return i;
        }
        return -1;
    }

    /// <summary>The value for <paramref name="key"/>, or a null reference (test with <see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>).</summary>
    public ref TValue FindValue(IpPrefix key)
    {
        var i = Find(key);
        if (i < 0)
            return ref Unsafe.NullRef<TValue>();
        return ref _slots[i].Value;
    }

    public bool ContainsKey(IpPrefix key) => Find(key) >= 0;

    /// <summary>The slot for <paramref name="key"/>, added with a default value if absent.</summary>
    public int GetOrAdd(IpPrefix key, out bool added)
    {
        var hash = key.GetHashCode();
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = _slots[i].Next)
        {
            ref var existing = ref _slots[i];
            if (existing.Hash == hash && existing.Key.Equals(key))
            {
                added = false;
                return i;
            }
        }
        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = -3 - _slots[index].Hash;
        }
        else
        {
            if (_used == _slots.Length)
                Grow();
            index = _used++;
        }
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        ref var slot = ref _slots[index];
        slot.Key = key;
        slot.Hash = hash;
        slot.Value = default!;
        slot.Next = bucket - 1;
        bucket = index + 1;
        _count++;
        added = true;
        return index;
    }

    /// <summary>Removes <paramref name="key"/>; its slot may be reused by the next add.</summary>
    public bool Remove(IpPrefix key)
    {
        var hash = key.GetHashCode();
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        var previous = -1;
        for (var i = bucket - 1; i >= 0; previous = i, i = _slots[i].Next)
        {
            ref var slot = ref _slots[i];
            if (slot.Hash != hash || !slot.Key.Equals(key))
                continue;
            if (previous < 0)
                bucket = slot.Next + 1;
            else
                _slots[previous].Next = slot.Next;
            slot.Value = default!;
            slot.Next = Free;
            // The free list is threaded through Hash (encoded below -2) so Next can mark the slot dead.
            slot.Hash = -3 - _freeList;
            _freeList = i;
            _count--;
            return true;
        }
        return false;
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        Array.Clear(_slots, 0, _used);
        _used = 0;
        _count = 0;
        _freeList = -1;
    }

    /// <summary>The next occupied slot after <paramref name="slot"/> (start with -1), or -1 at the end.</summary>
    public int Next(int slot)
    {
        for (var i = slot + 1; i < _used; i++)
        {
            if (_slots[i].Next != Free)
                return i;
        }
        return -1;
    }

    public IpPrefix KeyAt(int slot) => _slots[slot].Key;

    public ref TValue ValueAt(int slot) => ref _slots[slot].Value;

    private void Grow()
    {
        var size = _slots.Length * 2;
        Array.Resize(ref _slots, size);
        _buckets = new int[size];
        var mask = size - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var slot = ref _slots[i];
            if (slot.Next == Free)
                continue;
            ref var bucket = ref _buckets[slot.Hash & mask];
            slot.Next = bucket - 1;
            bucket = i + 1;
        }
    }

    private struct Slot
    {
        public IpPrefix Key;
        public TValue Value;
        public int Hash;

        /// <summary>The next slot in the bucket's chain, -1 at its end, or <see cref="Free"/> for a removed slot.</summary>
        public int Next;
    }
}
