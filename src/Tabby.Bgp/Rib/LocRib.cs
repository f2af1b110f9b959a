using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>The Loc-RIB: every accepted candidate path per prefix, the selected best, and a coalesced stream of best-path changes.</summary>
/// <remarks>
/// Pure logic and single-threaded by design: the speaker owns one instance and feeds it from one
/// loop, so there are no locks. Inputs are post-import-policy paths, one per (peer, prefix); a new
/// path from the same peer replaces the old one (implicit withdraw, RFC 4271 3.1). Changes
/// accumulate until <see cref="TakeChanges"/>, coalesced per prefix so a flap inside one batch
/// produces at most one change (and none if the best ends where it started).
/// Entries are structs in the dictionary, so a prefix with one path costs the path and a one-slot array.
/// </remarks>
public sealed class LocRib
{
    // One hash table per prefix, nothing else: the pending change and the previous best live in the
    // entry itself, and per-peer operations (session down, graceful restart) scan the table instead of
    // keeping a per-peer index. Those are rare; announcing 100,000 prefixes is not.
    private readonly PrefixTable<Entry> _entries = new();
    // Slots, not prefixes: a pending entry is never removed before TakeChanges, so its slot stays put
    // and reporting the change needs no second lookup.
    private int[] _pendingOrder = new int[64];
    private int _pendingCount;
    private int _emptyPending;
    private readonly PathAttributesInterner _interner;

    public LocRib(PathAttributesInterner? interner = null) => _interner = interner ?? new PathAttributesInterner();

    /// <summary>Prefixes with at least one candidate.</summary>
    public int Count => _entries.Count - _emptyPending;

    public PathAttributesInterner Interner => _interner;

    public bool HasChanges => _pendingCount > 0;

    /// <summary>Adds or replaces <paramref name="peer"/>'s path for <paramref name="prefix"/>; a fresh path is never stale.</summary>
    /// <returns>What happened to the peer's path, so the caller can keep per-peer counts without a second lookup.</returns>
    public AnnounceResult Announce(RibPeer peer, IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(attributes);
        var shared = _interner.Acquire(attributes);
        var slot = _entries.GetOrAdd(prefix, out _);
        ref var entry = ref _entries.ValueAt(slot);
        if (entry.Count == 0 && entry.Pending)
            _emptyPending--;
        var i = entry.IndexOf(peer);
        AnnounceResult result;
        if (i >= 0)
        {
            var old = entry.Paths![i];
            if (ReferenceEquals(old.Attributes, shared) && !old.IsStale)
            {
                _interner.Release(shared);
                return AnnounceResult.Unchanged;
            }
            _interner.Release(old.Attributes);
            entry.Paths[i] = new RibPath(prefix, shared, peer);
            result = old.IsStale ? AnnounceResult.Refreshed : AnnounceResult.Replaced;
        }
        else
        {
            entry.Add(new RibPath(prefix, shared, peer));
            result = AnnounceResult.Added;
        }
        Reselect(slot, ref entry);
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
        var i = entry.IndexOf(peer);
        if (i < 0)
            return false;
        wasStale = entry.Paths![i].IsStale;
        _interner.Release(entry.Paths[i].Attributes);
        entry.RemoveAt(i);
        Reselect(slot, ref entry);
        if (entry.Count > 0)
            return true;
        // An emptied prefix stays until TakeChanges reports its withdrawal, then goes.
        if (entry.Pending)
            _emptyPending++;
        else
            _entries.Remove(prefix);
        return true;
    }

    public bool Withdraw(RibPeer peer, IpPrefix prefix) => Withdraw(peer, prefix, out _);

    /// <summary>Removes every path from <paramref name="peer"/> in <paramref name="family"/> (all if null): session down without graceful restart, or a family it cannot keep.</summary>
    public int RemovePeer(RibPeer peer, BgpFamily? family = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var doomed = PrefixesOf(peer, family, staleOnly: false);
        foreach (var prefix in doomed)
            Withdraw(peer, prefix);
        return doomed.Count;
    }

    /// <summary>Graceful restart (RFC 4724 4.2): marks the peer's paths in <paramref name="family"/> (all if null) stale but keeps using them.</summary>
    public int MarkStale(RibPeer peer, BgpFamily? family = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var n = 0;
        foreach (var prefix in PrefixesOf(peer, family, staleOnly: false))
        {
            ref var entry = ref _entries.FindValue(prefix);
            var i = entry.IndexOf(peer);
            var path = entry.Paths![i];
            if (path.IsStale)
                continue;
            var stale = path with { IsStale = true };
            entry.Paths[i] = stale;
            // Swap the best in place without a change: the route itself did not change.
            if (ReferenceEquals(entry.Best, path))
                entry.Best = stale;
            n++;
        }
        return n;
    }

    /// <summary>Removes the peer's paths still stale in <paramref name="family"/> (all if null): on End-of-RIB or when the restart/stale timer fires.</summary>
    public int SweepStale(RibPeer peer, BgpFamily? family = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var doomed = PrefixesOf(peer, family, staleOnly: true);
        foreach (var prefix in doomed)
            Withdraw(peer, prefix);
        return doomed.Count;
    }

    public RibPath? GetBest(IpPrefix prefix)
    {
        var slot = _entries.Find(prefix);
        return slot < 0 ? null : _entries.ValueAt(slot).Best;
    }

    public IReadOnlyList<RibPath> GetCandidates(IpPrefix prefix)
    {
        var slot = _entries.Find(prefix);
        if (slot < 0)
            return [];
        ref var e = ref _entries.ValueAt(slot);
        return e.Paths.AsSpan(0, e.Count).ToArray();
    }

    /// <summary>Every current best path (for a new peer's initial advertisement or a route refresh).</summary>
    public List<RibPath> BestPaths()
    {
        var result = new List<RibPath>(_entries.Count);
        for (var slot = _entries.Next(-1); slot >= 0; slot = _entries.Next(slot))
        {
            if (_entries.ValueAt(slot).Best is { } best)
                result.Add(best);
        }
        return result;
    }

    /// <summary>Returns and clears the best-path changes since the last call, in first-change order.</summary>
    public BestPathChange[] TakeChanges()
    {
        if (_pendingCount == 0)
            return [];
        var result = new BestPathChange[_pendingCount];
        var n = 0;
        for (var k = 0; k < _pendingCount; k++)
        {
            var slot = _pendingOrder[k];
            ref var entry = ref _entries.ValueAt(slot);
            var previous = entry.PendingPrevious;
            var best = entry.Best;
            var prefix = _entries.KeyAt(slot);
            entry.Pending = false;
            entry.PendingPrevious = null;
            if (entry.Count == 0)
            {
                _entries.Remove(prefix);
                _emptyPending--;
            }
            if (!SamePath(previous, best))
                result[n++] = new BestPathChange(prefix, best, previous);
        }
        _pendingCount = 0;
        if (_pendingOrder.Length > 4096)
            _pendingOrder = new int[64];
        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }

    /// <summary>The prefixes for which <paramref name="peer"/> has a path (optionally only stale ones, in one family).</summary>
    private List<IpPrefix> PrefixesOf(RibPeer peer, BgpFamily? family, bool staleOnly)
    {
        var result = new List<IpPrefix>();
        for (var slot = _entries.Next(-1); slot >= 0; slot = _entries.Next(slot))
        {
            var prefix = _entries.KeyAt(slot);
            if (family is { } f && BgpFamily.For(prefix) != f)
                continue;
            ref var entry = ref _entries.ValueAt(slot);
            var i = entry.IndexOf(peer);
            if (i >= 0 && (!staleOnly || entry.Paths![i].IsStale))
                result.Add(prefix);
        }
        return result;
    }

    private static bool SamePath(RibPath? a, RibPath? b) =>
        a is null ? b is null : b is not null && a.Peer.Equals(b.Peer) && ReferenceEquals(a.Attributes, b.Attributes);

    private void Reselect(int slot, ref Entry entry)
    {
        var best = BestPathSelector.Select(entry.Paths.AsSpan(0, entry.Count));
        if (ReferenceEquals(best, entry.Best))
            return;
        if (!entry.Pending)
        {
            entry.Pending = true;
            entry.PendingPrevious = entry.Best;
            if (_pendingCount == _pendingOrder.Length)
                Array.Resize(ref _pendingOrder, _pendingCount * 2);
            _pendingOrder[_pendingCount++] = slot;
        }
        entry.Best = best;
    }

    /// <summary>Candidates for one prefix: a small array (usually one slot) plus the current best.</summary>
    private struct Entry
    {
        public RibPath[]? Paths;
        public int Count;
        public RibPath? Best;

        /// <summary>Best changed since the last TakeChanges; PendingPrevious is the best it was then.</summary>
        public bool Pending;
        public RibPath? PendingPrevious;

        public readonly int IndexOf(RibPeer peer)
        {
            for (var i = 0; i < Count; i++)
            {
                if (Paths![i].Peer.Equals(peer))
                    return i;
            }
            return -1;
        }

        public void Add(RibPath path)
        {
            if (Paths is null || Count == Paths.Length)
                Array.Resize(ref Paths, Count == 0 ? 1 : Count * 2);
            Paths[Count++] = path;
        }

        public void RemoveAt(int index)
        {
            Count--;
            Array.Copy(Paths!, index + 1, Paths!, index, Count - index);
            Paths![Count] = null!;
        }
    }
}
