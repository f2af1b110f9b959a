using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>One peer's Adj-RIB-Out: what was advertised, and pending changes grouped by attribute set for packing.</summary>
/// <remarks>
/// Changes are queued per prefix and coalesced, so a prefix that flaps before the next send costs
/// nothing, and one that ends where it started is not sent at all. What was advertised and what is
/// pending share one table entry, and the pending queue holds table slots in first-change order, so
/// a change costs one lookup to queue and none to send. Single-threaded by design.
/// </remarks>
public sealed class AdjRibOut
{
    private readonly PrefixTable<State> _table = new();
    private int[] _queue = new int[64];
    private int _queued;
    private int _pending;
    private int _advertised;
    private int _advertisedV6;

    public AdjRibOut(RibPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Peer = peer;
    }

    public RibPeer Peer { get; }
    public int AdvertisedCount => _advertised;

    /// <summary>Prefixes advertised in one family.</summary>
    public int AdvertisedIn(BgpFamily family) => family.IsIpv6 ? _advertisedV6 : _advertised - _advertisedV6;
    public int PendingCount => _pending;
    public bool HasPending => _pending > 0;

    public PathAttributes? GetAdvertised(IpPrefix prefix)
    {
        var slot = _table.Find(prefix);
        return slot < 0 ? null : _table.ValueAt(slot).Advertised;
    }

    /// <summary>Queues <paramref name="prefix"/> to be announced with <paramref name="attributes"/> (post-export-policy).</summary>
    public void Advertise(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var slot = _table.GetOrAdd(prefix, out _);
        ref var state = ref _table.ValueAt(slot);
        // Re-announcing what the peer already has is a no-op, unless a refresh asked for everything again.
        if (state.Advertised is { } current && !state.Resend && (ReferenceEquals(current, attributes) || current.Equals(attributes)))
            Unqueue(ref state);
        else
            Queue(slot, ref state, attributes);
    }

    /// <summary>Queues a withdrawal; a prefix never advertised just loses any pending announcement.</summary>
    public void Withdraw(IpPrefix prefix)
    {
        // A peer that was never sent anything (the source of every route, typically) has nothing to withdraw.
        if (_table.Count == 0)
            return;
        var slot = _table.Find(prefix);
        if (slot < 0)
            return;
        ref var state = ref _table.ValueAt(slot);
        if (state.Advertised is not null)
        {
            Queue(slot, ref state, null);
            return;
        }
        Unqueue(ref state);
        _table.Remove(prefix);
    }

    /// <summary>Re-queues everything advertised in <paramref name="family"/> (all if null): the peer sent ROUTE-REFRESH for it. Newer pending changes win.</summary>
    public void RefreshAll(BgpFamily? family = null)
    {
        for (var slot = _table.Next(-1); slot >= 0; slot = _table.Next(slot))
        {
            if (family is { } f && _table.KeyAt(slot).IsIPv6 != f.IsIpv6)
                continue;
            ref var state = ref _table.ValueAt(slot);
            if (state.Advertised is { } advertised && !state.IsQueued)
            {
                Queue(slot, ref state, advertised);
                state.Resend = true;
            }
        }
    }

    /// <summary>Forgets all state (the session went down); the next session starts from an empty Adj-RIB-Out.</summary>
    public void Reset()
    {
        _table.Clear();
        _queued = 0;
        _pending = 0;
        _advertised = 0;
        _advertisedV6 = 0;
    }

    /// <summary>Takes the pending changes as one batch and records them as advertised.</summary>
    public AdjRibOutBatch TakePending()
    {
        var withdrawals = new IpPrefix[CountQueuedWithdrawals()];
        var withdrawn = 0;
        var groups = new List<GroupBuilder>();
        var index = new Dictionary<PathAttributes, GroupBuilder>();
        GroupBuilder? last = null;
        for (var k = 0; k < _queued; k++)
        {
            var slot = _queue[k];
            ref var state = ref _table.ValueAt(slot);
            // A slot can appear twice if its prefix was dropped and the slot reused; the first visit takes it.
            if (!state.IsQueued)
                continue;
            var prefix = _table.KeyAt(slot);
            var attributes = state.Pending;
            state.IsQueued = false;
            state.Resend = false;
            state.Pending = null;
            if (attributes is null)
            {
                withdrawals[withdrawn++] = prefix;
                state.Advertised = null;
                _advertised--;
                if (prefix.IsIPv6)
                    _advertisedV6--;
                _table.Remove(prefix);
                continue;
            }
            if (state.Advertised is null)
            {
                _advertised++;
                if (prefix.IsIPv6)
                    _advertisedV6++;
            }
            state.Advertised = attributes;
            // Consecutive prefixes nearly always share the attribute set: skip the hash lookup for them.
            if (last is null || !ReferenceEquals(last.Attributes, attributes))
            {
                if (!index.TryGetValue(attributes, out last))
                {
                    last = new GroupBuilder(attributes);
                    index.Add(attributes, last);
                    groups.Add(last);
                }
            }
            last.Add(prefix);
        }
        _queued = 0;
        _pending = 0;
        // A reused slot queued twice was counted twice above.
        if (withdrawn < withdrawals.Length)
            Array.Resize(ref withdrawals, withdrawn);
        if (_queue.Length > 4096)
            _queue = new int[64];
        var announcements = new AdjRibOutGroup[groups.Count];
        for (var g = 0; g < groups.Count; g++)
            announcements[g] = groups[g].Build();
        return new AdjRibOutBatch(withdrawals, announcements);
    }

    private int CountQueuedWithdrawals()
    {
        var n = 0;
        for (var k = 0; k < _queued; k++)
        {
            ref var state = ref _table.ValueAt(_queue[k]);
            if (state.IsQueued && state.Pending is null)
                n++;
        }
        return n;
    }

    private void Queue(int slot, ref State state, PathAttributes? attributes)
    {
        state.Pending = attributes;
        if (state.IsQueued)
            return;
        state.IsQueued = true;
        _pending++;
        if (_queued == _queue.Length)
            Array.Resize(ref _queue, _queued * 2);
        _queue[_queued++] = slot;
    }

    private void Unqueue(ref State state)
    {
        if (!state.IsQueued)
            return;
        // The slot stays in the queue; TakePending skips it.
        state.IsQueued = false;
        state.Resend = false;
        state.Pending = null;
        _pending--;
    }

    /// <summary>A prefix as this peer knows it: what it was sent, and what it is to be sent next.</summary>
    private struct State
    {
        public PathAttributes? Advertised;

        /// <summary>When queued: the attributes to send, or null for a withdrawal.</summary>
        public PathAttributes? Pending;

        public bool IsQueued;

        /// <summary>Send even if unchanged: the peer asked for a refresh.</summary>
        public bool Resend;
    }

    /// <summary>The prefixes of one attribute group, collected in an array that grows by doubling.</summary>
    private sealed class GroupBuilder(PathAttributes attributes)
    {
        private IpPrefix[] _prefixes = new IpPrefix[16];
        private int _count;

        public PathAttributes Attributes { get; } = attributes;

        public void Add(IpPrefix prefix)
        {
            if (_count == _prefixes.Length)
                Array.Resize(ref _prefixes, _count * 2);
            _prefixes[_count++] = prefix;
        }

        public AdjRibOutGroup Build() => new(Attributes, _prefixes.AsSpan(0, _count).ToArray());
    }
}
