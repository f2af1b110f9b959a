using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>The Loc-RIB: every accepted candidate path per prefix, the selected best, and a coalesced stream of best-path changes.</summary>
/// <remarks>
/// Pure logic and single-threaded by design: the speaker owns one instance and feeds it from one
/// loop, so there are no locks. Inputs are post-import-policy paths, one per (peer, prefix); a new
/// path from the same peer replaces the old one (implicit withdraw, RFC 4271 3.1). Changes
/// accumulate until they are taken, coalesced per prefix so a flap inside one batch produces at
/// most one change (and none if the best ends where it started).
/// <para>
/// Storage is compact because a full table is 100,000 prefixes or more: one table entry per prefix holds
/// its first candidate inline as an attribute-set ID, a peer index and a stale flag (no object per
/// route, and no pointer for the garbage collector to trace); further candidates of the same prefix go to
/// a shared pool of the same small records. <see cref="RibPath"/> objects are made only for callers that
/// ask (queries, subscribers), never stored.
/// </para>
/// </remarks>
public sealed class LocRib
{
    private const byte Stale = 1;
    private readonly PrefixTable<Entry> _entries;
    private readonly PathAttributesInterner _attributes = new();
    private readonly Dictionary<RibPeer, ushort> _peerIndex = [];
    private RibPeer[] _peers = new RibPeer[8];
    private RibPeer? _lastPeer;
    private ushort _lastPeerIndex;
    // Candidates after each prefix's first, as linked lists in one pool with a free list.
    private Candidate[] _pool = new Candidate[16];
    private int _poolUsed;
    private int _poolFree = -1;
    // Slots, not prefixes: a pending entry is never removed before its change is taken, so its slot stays
    // put and reporting the change needs no second lookup.
    private int[] _pendingOrder;
    private readonly int _initialPending;
    // Pending slots are _pendingOrder[_pendingStart.._pendingStart + _pendingCount): a bounded take advances the start
    // instead of shifting the rest down, which for a peer's whole table going at once was quadratic.
    private int _pendingStart;
    private int _pendingCount;
    private int _emptyPending;

    /// <param name="capacity">Prefixes the table holds before it first grows.</param>
    public LocRib(int capacity = 16)
    {
        _entries = new PrefixTable<Entry>(capacity);
        _initialPending = Math.Max(64, capacity);
        _pendingOrder = new int[_initialPending];
    }

    /// <summary>Maps the pages of the table's initial capacity now, not on the first burst's path (see <see cref="PrefixTable{TValue}.Prefault"/>).</summary>
    public void Prefault()
    {
        _entries.Prefault();
        if (_pendingCount == 0)
            Array.Clear(_pendingOrder);
    }

    /// <summary>Prefixes with at least one candidate.</summary>
    public int Count => _entries.Count - _emptyPending;

    /// <summary>Distinct attribute sets in use.</summary>
    public int AttributeSetCount => _attributes.Count;

    public bool HasChanges => _pendingCount > 0;

    /// <summary>How many prefixes have changes waiting for the next flush.</summary>
    public int PendingChanges => _pendingCount;

    /// <summary>Adds or replaces <paramref name="peer"/>'s path for <paramref name="prefix"/>; a fresh path is never stale.</summary>
    /// <returns>What happened to the peer's path, so the caller can keep per-peer counts without a second lookup.</returns>
    public AnnounceResult Announce(RibPeer peer, IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(attributes);
        var peerIndex = IndexOf(peer);
        var id = _attributes.Acquire(attributes);
        var slot = _entries.GetOrAdd(prefix, out var added);
        ref var entry = ref _entries.ValueAt(slot);
        if (added)
            entry = Entry.Empty;
        if (entry.Count == 0 && entry.Pending)
            _emptyPending--;
        var at = Find(ref entry, peerIndex);
        var (oldAttr, oldPeer) = BestIdentity(ref entry);
        var replaced = -1;
        AnnounceResult result;
        if (at >= 0)
        {
            ref var existing = ref CandidateAt(ref entry, at);
            if (existing.Attr == id && (existing.Flags & Stale) == 0)
            {
                _attributes.Release(id);
                return AnnounceResult.Unchanged;
            }
            result = (existing.Flags & Stale) != 0 ? AnnounceResult.Refreshed : AnnounceResult.Replaced;
            replaced = existing.Attr;
            existing.Attr = id;
            existing.Flags = 0;
        }
        else
        {
            Add(ref entry, new Candidate(id, peerIndex, 0, -1));
            result = AnnounceResult.Added;
        }
        Reselect(slot, ref entry, oldAttr, oldPeer);
        // Released after Reselect, which keeps the set alive if it was the best before this change.
        if (replaced >= 0)
            _attributes.Release(replaced);
        return result;
    }

    /// <summary>Removes <paramref name="peer"/>'s path for <paramref name="prefix"/>, if any; <paramref name="wasStale"/> tells whether it was kept from before a restart.</summary>
    public bool Withdraw(RibPeer peer, IpPrefix prefix, out bool wasStale)
    {
        ArgumentNullException.ThrowIfNull(peer);
        wasStale = false;
        var slot = _entries.Find(prefix);
        if (slot < 0)
            return false;
        ref var entry = ref _entries.ValueAt(slot);
        var at = Find(ref entry, IndexOf(peer));
        if (at < 0)
            return false;
        RemoveAt(slot, ref entry, at, out wasStale);
        return true;
    }

    public bool Withdraw(RibPeer peer, IpPrefix prefix) => Withdraw(peer, prefix, out _);

    /// <summary>Call before handling <paramref name="prefixes"/>[<paramref name="index"/>] of a batch: prefetches the
    /// entries of the prefixes a few places ahead (see <see cref="PrefixTable{TValue}.PrefetchBucket"/>).</summary>
    public void PrefetchAhead(ReadOnlySpan<IpPrefix> prefixes, int index)
    {
        if (index + 8 < prefixes.Length)
            _entries.PrefetchBucket(prefixes[index + 8]);
        if (index + 4 < prefixes.Length)
            _entries.PrefetchSlot(prefixes[index + 4]);
    }

    /// <summary>Removes every path from <paramref name="peer"/> in <paramref name="family"/> (all if null): session down without graceful restart, or a family it cannot keep.</summary>
    public int RemovePeer(RibPeer peer, BgpFamily? family = null) => ForEachPath(peer, family, staleOnly: false, remove: true);

    /// <summary>Graceful restart (RFC 4724 4.2): marks the peer's paths in <paramref name="family"/> (all if null) stale but keeps using them.</summary>
    public int MarkStale(RibPeer peer, BgpFamily? family = null) => ForEachPath(peer, family, staleOnly: false, remove: false);

    /// <summary>Removes the peer's paths still stale in <paramref name="family"/> (all if null): on End-of-RIB or when the restart/stale timer fires.</summary>
    public int SweepStale(RibPeer peer, BgpFamily? family = null) => ForEachPath(peer, family, staleOnly: true, remove: true);

    public RibPath? GetBest(IpPrefix prefix)
    {
        var slot = _entries.Find(prefix);
        if (slot < 0)
            return null;
        ref var entry = ref _entries.ValueAt(slot);
        return entry.Best < 0 ? null : Path(prefix, CandidateAt(ref entry, entry.Best));
    }

    public IReadOnlyList<RibPath> GetCandidates(IpPrefix prefix)
    {
        var slot = _entries.Find(prefix);
        if (slot < 0)
            return [];
        ref var entry = ref _entries.ValueAt(slot);
        var result = new RibPath[entry.Count];
        for (var i = 0; i < entry.Count; i++)
            result[i] = Path(prefix, CandidateAt(ref entry, i));
        return result;
    }

    /// <summary>Every current best path (for queries; the speaker's writers take <see cref="BestRoutes"/>).</summary>
    public List<RibPath> BestPaths()
    {
        var result = new List<RibPath>(Count);
        for (var slot = _entries.Next(-1); slot >= 0; slot = _entries.Next(slot))
        {
            ref var entry = ref _entries.ValueAt(slot);
            if (entry.Best >= 0)
                result.Add(Path(_entries.KeyAt(slot), CandidateAt(ref entry, entry.Best)));
        }
        return result;
    }

    /// <summary>Every current best path in <paramref name="family"/> (all if null), as the changes a new or refreshing peer starts from.</summary>
    internal RouteChange[] BestRoutes(BgpFamily? family = null)
    {
        var result = new RouteChange[Count];
        var n = 0;
        for (var slot = _entries.Next(-1); slot >= 0; slot = _entries.Next(slot))
        {
            ref var entry = ref _entries.ValueAt(slot);
            var prefix = _entries.KeyAt(slot);
            if (entry.Best < 0 || (family is { } f && prefix.IsIPv6 != f.IsIpv6))
                continue;
            var best = CandidateAt(ref entry, entry.Best);
            result[n++] = new RouteChange(slot, prefix, _attributes[best.Attr], _peers[best.Peer], (best.Flags & Stale) != 0);
        }
        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }

    /// <summary>Returns and clears the best-path changes since the last call, in first-change order.</summary>
    public BestPathChange[] TakeChanges() => Array.ConvertAll(TakeRouteChanges(), c => c.ToBestPathChange());

    /// <summary>The same changes in the writers' compact form.</summary>
    /// <param name="max">Takes at most this many pending prefixes, oldest first; the rest stay pending for the next call.</param>
    internal RouteChange[] TakeRouteChanges(int max = int.MaxValue)
    {
        if (_pendingCount == 0)
            return [];
        var take = Math.Min(_pendingCount, max);
        var result = new RouteChange[take];
        var n = 0;
        for (var k = 0; k < take; k++)
        {
            var slot = _pendingOrder[_pendingStart + k];
            ref var entry = ref _entries.ValueAt(slot);
            var prefix = _entries.KeyAt(slot);
            var (prevAttr, prevPeer) = (entry.PrevAttr, entry.PrevPeer);
            entry.Pending = false;
            entry.PrevAttr = -1;
            PathAttributes? previous = prevAttr < 0 ? null : _attributes[prevAttr];
            RibPeer? previousFrom = prevAttr < 0 ? null : _peers[prevPeer];
            if (entry.Best >= 0)
            {
                var best = CandidateAt(ref entry, entry.Best);
                if (prevAttr != best.Attr || prevPeer != best.Peer)
                    result[n++] = new RouteChange(slot, prefix, _attributes[best.Attr], _peers[best.Peer], (best.Flags & Stale) != 0, previous, previousFrom);
            }
            else if (prevAttr >= 0)
            {
                result[n++] = new RouteChange(slot, prefix, null, null, false, previous, previousFrom);
            }
            if (prevAttr >= 0)
                _attributes.Release(prevAttr);
            if (entry.Count == 0)
            {
                _entries.RemoveAt(slot);
                _emptyPending--;
            }
        }
        _pendingStart += take;
        _pendingCount -= take;
        if (_pendingCount == 0)
        {
            _pendingStart = 0;
            // Back to the size it started with (kept for the next burst's first routes), not to a small default.
            if (_pendingOrder.Length > Math.Max(4096, _initialPending))
                _pendingOrder = new int[_initialPending];
        }
        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }

    private ushort IndexOf(RibPeer peer)
    {
        if (ReferenceEquals(peer, _lastPeer))
            return _lastPeerIndex;
        if (!_peerIndex.TryGetValue(peer, out var index))
        {
            if (_peerIndex.Count == ushort.MaxValue)
                throw new InvalidOperationException("the Loc-RIB holds paths from 65,535 peers already");
            index = (ushort)_peerIndex.Count;
            _peerIndex.Add(peer, index);
            if (index == _peers.Length)
                Array.Resize(ref _peers, index * 2);
        }
        // The same address may come back as a new session with a new router ID: the newest facts win.
        _peers[index] = peer;
        _lastPeer = peer;
        _lastPeerIndex = index;
        return index;
    }

    private RibPath Path(IpPrefix prefix, Candidate c) => new(prefix, _attributes[c.Attr], _peers[c.Peer], (c.Flags & Stale) != 0);

    /// <summary>Marks stale, or removes, the paths of <paramref name="peer"/> (in one family, optionally only stale ones); returns how many.</summary>
    private int ForEachPath(RibPeer peer, BgpFamily? family, bool staleOnly, bool remove)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_peerIndex.TryGetValue(peer, out var index))
            return 0;
        var n = 0;
        for (var slot = _entries.Next(-1); slot >= 0; slot = _entries.Next(slot))
        {
            if (family is { } f && _entries.KeyAt(slot).IsIPv6 != f.IsIpv6)
                continue;
            ref var entry = ref _entries.ValueAt(slot);
            var at = Find(ref entry, index);
            if (at < 0)
                continue;
            ref var c = ref CandidateAt(ref entry, at);
            var stale = (c.Flags & Stale) != 0;
            if (remove)
            {
                if (staleOnly && !stale)
                    continue;
                RemoveAt(slot, ref entry, at, out _);
                n++;
            }
            else if (!stale)
            {
                // Marked in place: the route itself did not change, so no change is reported.
                c.Flags |= Stale;
                n++;
            }
        }
        return n;
    }

    private void RemoveAt(int slot, ref Entry entry, int at, out bool wasStale)
    {
        var removed = CandidateAt(ref entry, at);
        wasStale = (removed.Flags & Stale) != 0;
        var (oldAttr, oldPeer) = BestIdentity(ref entry);
        // The released set stays alive through the pending change if it was the best (Reselect took a reference).
        Reselect(slot, ref entry, oldAttr, oldPeer, removing: at);
        _attributes.Release(removed.Attr);
        Unlink(ref entry, at);
        if (entry.Count > 0)
        {
            // Indices after the removed one shifted down.
            if (entry.Best > at)
                entry.Best--;
            return;
        }
        entry.Best = -1;
        // An emptied prefix stays until its withdrawal is taken, then goes.
        if (entry.Pending)
            _emptyPending++;
        else
            _entries.Remove(_entries.KeyAt(slot));
    }

    private (int Attr, ushort Peer) BestIdentity(ref Entry entry)
    {
        if (entry.Best < 0)
            return (-1, 0);
        ref var best = ref CandidateAt(ref entry, entry.Best);
        return (best.Attr, best.Peer);
    }

    /// <summary>
    /// Picks the best candidate again (ignoring <paramref name="removing"/>, about to go) and records a pending change
    /// if the best is now another path than (<paramref name="oldAttr"/>, <paramref name="oldPeer"/>), the best before the caller's edit.
    /// </summary>
    private void Reselect(int slot, ref Entry entry, int oldAttr, ushort oldPeer, int removing = -1)
    {
        var count = entry.Count - (removing >= 0 ? 1 : 0);
        int best;
        if (count == 0)
        {
            best = -1;
        }
        else if (entry.Count == 1 || (entry.Count == 2 && removing >= 0))
        {
            best = removing == 0 ? 1 : 0;
        }
        else
        {
            var paths = new List<RibPath>(entry.Count);
            var indices = new List<int>(entry.Count);
            var prefix = _entries.KeyAt(slot);
            for (var i = 0; i < entry.Count; i++)
            {
                if (i == removing)
                    continue;
                paths.Add(Path(prefix, CandidateAt(ref entry, i)));
                indices.Add(i);
            }
            var selected = BestPathSelector.Select(paths);
            best = indices[paths.IndexOf(selected!)];
        }
        var (newAttr, newPeer) = best >= 0 ? (CandidateAt(ref entry, best).Attr, CandidateAt(ref entry, best).Peer) : (-1, (ushort)0);
        entry.Best = (short)best;
        if ((oldAttr == newAttr && oldPeer == newPeer) || entry.Pending)
            return;
        entry.Pending = true;
        entry.PrevAttr = oldAttr;
        entry.PrevPeer = oldPeer;
        // Keep the previous best's set alive until its change is taken, even if its path goes now.
        if (oldAttr >= 0)
            _attributes.AddReference(oldAttr);
        if (_pendingStart + _pendingCount == _pendingOrder.Length)
        {
            // Only reached with a partial take outstanding, which Flush never leaves: move the rest down first.
            if (_pendingStart > 0)
            {
                Array.Copy(_pendingOrder, _pendingStart, _pendingOrder, 0, _pendingCount);
                _pendingStart = 0;
            }
            if (_pendingCount == _pendingOrder.Length)
                Array.Resize(ref _pendingOrder, _pendingCount * 2);
        }
        _pendingOrder[_pendingStart + _pendingCount++] = slot;
    }

    private int Find(ref Entry entry, ushort peer)
    {
        if (entry.Count == 0)
            return -1;
        if (entry.First.Peer == peer)
            return 0;
        var i = 1;
        for (var p = entry.First.Next; p >= 0; p = _pool[p].Next, i++)
        {
            if (_pool[p].Peer == peer)
                return i;
        }
        return -1;
    }

    private ref Candidate CandidateAt(ref Entry entry, int index)
    {
        if (index == 0)
            return ref entry.First;
        var p = entry.First.Next;
        for (var i = 1; i < index; i++)
            p = _pool[p].Next;
        return ref _pool[p];
    }

    private void Add(ref Entry entry, Candidate candidate)
    {
        if (entry.Count == 0)
        {
            entry.First = candidate;
            entry.Count = 1;
            return;
        }
        // Appended at the end of the list, so existing indices (the best's among them) stay put.
        var node = _poolFree >= 0 ? _poolFree : _poolUsed++;
        if (node == _poolFree)
            _poolFree = _pool[node].Next;
        else if (node == _pool.Length)
            Array.Resize(ref _pool, node * 2);
        _pool[node] = candidate with { Next = -1 };
        if (entry.First.Next < 0)
        {
            entry.First.Next = node;
        }
        else
        {
            var p = entry.First.Next;
            while (_pool[p].Next >= 0)
                p = _pool[p].Next;
            _pool[p].Next = node;
        }
        entry.Count++;
    }

    private void Unlink(ref Entry entry, int index)
    {
        if (index == 0)
        {
            var next = entry.First.Next;
            if (next < 0)
            {
                entry.First = Candidate.None;
            }
            else
            {
                entry.First = _pool[next];
                Free(next);
            }
        }
        else
        {
            ref var before = ref CandidateAt(ref entry, index - 1);
            var node = before.Next;
            before.Next = _pool[node].Next;
            Free(node);
        }
        entry.Count--;
    }

    private void Free(int node)
    {
        _pool[node] = Candidate.None with { Next = _poolFree };
        _poolFree = node;
    }

    /// <summary>One candidate path: attribute-set ID, peer index, flags, and the pool index of the next candidate (-1 at the end).</summary>
    private record struct Candidate(int Attr, ushort Peer, byte Flags, int Next)
    {
        public static Candidate None => new(-1, 0, 0, -1);
    }

    /// <summary>One prefix: its first candidate inline, how many there are, which is best, and the best as of the last change taken.</summary>
    private struct Entry
    {
        public Candidate First;
        public short Best;
        public byte Count;
        public bool Pending;
        public int PrevAttr;
        public ushort PrevPeer;

        public static Entry Empty => new() { First = Candidate.None, Best = -1, PrevAttr = -1 };
    }
}
