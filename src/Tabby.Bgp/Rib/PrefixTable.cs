using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>A hash table keyed by prefix, with stable slots: what the Loc-RIB is built on.</summary>
/// <remarks>
/// <para>Why not <see cref="Dictionary{TKey, TValue}"/>: a full-table burst does several lookups per prefix,
/// and the BCL dictionary instantiated over our value types is not precompiled by ReadyToRun, so the
/// first 100,000 prefixes after start ran through tier-0 JIT code, several times slower than this.
/// Here the hash is cached per slot (resizes never rehash), buckets are a power of two, and a slot
/// keeps its index until the key is removed, so callers can queue slot numbers instead of keys and
/// come back without a second lookup. Removal during a slot walk is safe. Single-threaded.</para>
/// <para>Slots live in chunks of <see cref="ChunkSize"/>, not one array: growing adds a chunk instead of copying
/// everything into an array twice the size. One array of 100,000 Loc-RIB slots was 7 MB at 131,072 slots, and
/// the copy that grew it left the 3.5 MB it came from on the large-object heap until a full collection: the
/// largest part of `tabby bgp run`'s peak memory in a full-table burst. A chunk of Loc-RIB slots (2,048 of 56
/// bytes) is a large object, so neither growth nor a compacting collection ever copies it (chunks of 1,024 were
/// small objects, and a full collection during a withdrawal burst compacted them into newly committed memory);
/// the slots fill to within one chunk of the table's size. Peak RSS in the BIRD burst: 49-50 -> 43-46 MB.</para>
/// </remarks>
public sealed class PrefixTable<TValue>
{
    private const int Free = -2;
    private const int ChunkShift = 11;

    /// <summary>Slots per chunk (the first chunk starts smaller and doubles up to this, so small tables stay small).</summary>
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private int[] _buckets;
    private Slot[][] _chunks;
    private int _chunkCount;
    private int _capacity;
    private int _used;
    private int _count;
    private int _freeList = -1;

    public PrefixTable(int capacity = 16)
    {
        var first = 16;
        while (first < Math.Min(capacity, ChunkSize))
            first <<= 1;
        _chunks = new Slot[Math.Max(1, (capacity + ChunkMask) >> ChunkShift)][];
        _chunks[0] = new Slot[first];
        _chunkCount = 1;
        _capacity = first;
        while (_capacity < capacity)
            AddChunk();
        _buckets = new int[BucketsFor(_capacity)];
    }

    /// <summary>
    /// Writes every page of the slots and buckets allocated so far, so that the kernel maps them now rather than on the
    /// first adds: a large array comes from the kernel as zero pages it has not mapped yet, and the first prefixes of
    /// a burst paid a page fault for each page they touched, some microseconds each in a virtual machine.
    /// </summary>
    /// <remarks>Only an empty table is written to; one with entries has those pages mapped already, and keeps its contents.</remarks>
    public void Prefault()
    {
        if (_used > 0)
            return;
        for (var c = 0; c < _chunkCount; c++)
            Array.Clear(_chunks[c]);
        Array.Clear(_buckets);
    }

    public int Count => _count;

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(IpPrefix key)
    {
        var hash = key.GetHashCode();
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0;)
        {
            ref var slot = ref At(i);
            if (slot.Hash == hash && slot.Key.Equals(key))
                return i;
            i = slot.Next;
        }
        return -1;
    }

    /// <summary>Starts loading the bucket <paramref name="key"/> hashes to, some lookups ahead of its own.</summary>
    /// <remarks>
    /// A full table does not fit the caches, and a burst withdraws in the sender's order, not the order the slots were
    /// filled: each lookup was two misses to memory (bucket, then slot), 17% of the device's CPU in a 100,000-route
    /// withdrawal. Prefetching the bucket eight prefixes ahead and, four ahead, the slot it points to overlaps them.
    /// A prefetch is a hint: an address that went stale (a bucket array replaced by growth) costs nothing.
    /// </remarks>
    public unsafe void PrefetchBucket(IpPrefix key)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref _buckets[key.GetHashCode() & (_buckets.Length - 1)]));
    }

    /// <summary>Starts loading the first slot of <paramref name="key"/>'s chain; its bucket should have been prefetched earlier.</summary>
    public unsafe void PrefetchSlot(IpPrefix key)
    {
        if (!Sse.IsSupported)
            return;
        var i = _buckets[key.GetHashCode() & (_buckets.Length - 1)] - 1;
        if (i >= 0)
            Sse.Prefetch0(Unsafe.AsPointer(ref At(i)));
    }

    /// <summary>The value for <paramref name="key"/>, or a null reference (test with <see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>).</summary>
    public ref TValue FindValue(IpPrefix key)
    {
        var i = Find(key);
        if (i < 0)
            return ref Unsafe.NullRef<TValue>();
        return ref At(i).Value;
    }

    public bool ContainsKey(IpPrefix key) => Find(key) >= 0;

    /// <summary>The slot for <paramref name="key"/>, added with a default value if absent.</summary>
    public int GetOrAdd(IpPrefix key, out bool added)
    {
        var hash = key.GetHashCode();
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0;)
        {
            ref var existing = ref At(i);
            if (existing.Hash == hash && existing.Key.Equals(key))
            {
                added = false;
                return i;
            }
            i = existing.Next;
        }
        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = -3 - At(index).Hash;
        }
        else
        {
            if (_used == _capacity)
                Grow();
            index = _used++;
        }
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        ref var slot = ref At(index);
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
        var i = Find(key);
        if (i < 0)
            return false;
        RemoveAt(i);
        return true;
    }

    /// <summary>Removes the key in an occupied slot without looking it up again: its hash is kept in the slot.</summary>
    public void RemoveAt(int index)
    {
        ref var slot = ref At(index);
        if (slot.Next == Free)
            throw new InvalidOperationException($"slot {index} is not occupied");
        ref var bucket = ref _buckets[slot.Hash & (_buckets.Length - 1)];
        if (bucket - 1 == index)
        {
            bucket = slot.Next + 1;
        }
        else
        {
            var previous = bucket - 1;
            while (At(previous).Next != index)
                previous = At(previous).Next;
            At(previous).Next = slot.Next;
        }
        slot.Value = default!;
        slot.Next = Free;
        // The free list is threaded through Hash (encoded below -2) so Next can mark the slot dead.
        slot.Hash = -3 - _freeList;
        _freeList = index;
        _count--;
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        for (var c = 0; c < _chunkCount; c++)
            Array.Clear(_chunks[c]);
        _used = 0;
        _count = 0;
        _freeList = -1;
    }

    /// <summary>The next occupied slot after <paramref name="slot"/> (start with -1), or -1 at the end.</summary>
    public int Next(int slot)
    {
        for (var i = slot + 1; i < _used; i++)
        {
            if (At(i).Next != Free)
                return i;
        }
        return -1;
    }

    public IpPrefix KeyAt(int slot) => At(slot).Key;

    public ref TValue ValueAt(int slot) => ref At(slot).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot At(int index) => ref _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Buckets for a capacity: a power of two at least as large, so chains average at most one slot.</summary>
    private static int BucketsFor(int capacity)
    {
        var size = 16;
        while (size < capacity)
            size <<= 1;
        return size;
    }

    private void Grow()
    {
        if (_capacity < ChunkSize)
        {
            // The first chunk doubles until it is a whole one: small tables (a test, a few routes) stay small.
            Array.Resize(ref _chunks[0], _capacity * 2);
            _capacity *= 2;
        }
        else
        {
            AddChunk();
        }
        if (_capacity <= _buckets.Length)
            return;
        _buckets = new int[BucketsFor(_capacity)];
        var mask = _buckets.Length - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var slot = ref At(i);
            if (slot.Next == Free)
                continue;
            ref var bucket = ref _buckets[slot.Hash & mask];
            slot.Next = bucket - 1;
            bucket = i + 1;
        }
    }

    private void AddChunk()
    {
        if (_chunkCount == _chunks.Length)
            Array.Resize(ref _chunks, _chunks.Length * 2);
        _chunks[_chunkCount++] = new Slot[ChunkSize];
        _capacity += ChunkSize;
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
