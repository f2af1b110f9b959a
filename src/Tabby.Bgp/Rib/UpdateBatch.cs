using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>Withdrawals and announcements for one peer, grouped by attribute set and packed into as few UPDATEs as fit.</summary>
/// <remarks>
/// A writer fills one batch per change list (one coalesced Loc-RIB flush, so no prefix twice), packs it and
/// reuses it: the group buffers stay allocated, so a steady stream of changes costs no allocation but the
/// messages themselves. Single-threaded (the peer's writer).
/// </remarks>
public sealed class UpdateBatch
{
    private readonly Dictionary<PathAttributes, Group> _index = [];
    private readonly List<Group> _groups = [];
    private readonly List<Group> _spare = [];
    private IpPrefix[] _withdrawals = new IpPrefix[64];
    private int _withdrawn;
    private Group? _last;

    public bool IsEmpty => _withdrawn == 0 && _groups.Count == 0;

    public int Withdrawals => _withdrawn;

    public int Announcements => _groups.Sum(g => g.Count);

    public bool HasAnnouncements => _groups.Count > 0;

    public void Withdraw(IpPrefix prefix)
    {
        if (_withdrawn == _withdrawals.Length)
            Array.Resize(ref _withdrawals, _withdrawn * 2);
        _withdrawals[_withdrawn++] = prefix;
    }

    public void Announce(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        // Consecutive prefixes nearly always share the attribute set: skip the hash lookup for them.
        if (_last is null || !ReferenceEquals(_last.Attributes, attributes))
        {
            if (!_index.TryGetValue(attributes, out _last))
            {
                _last = _spare.Count > 0 ? _spare[^1] : new Group();
                if (_spare.Count > 0)
                    _spare.RemoveAt(_spare.Count - 1);
                _last.Attributes = attributes;
                _index.Add(attributes, _last);
                _groups.Add(_last);
            }
        }
        _last.Add(prefix);
    }

    /// <summary>Encodes the batch (withdrawals first, then one run per attribute group) and empties it for reuse.</summary>
    public void PackInto(List<byte[]> messages, BgpCodecContext context)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_withdrawn > 0)
            BgpUpdatePacker.PackWithdrawals(_withdrawals.AsSpan(0, _withdrawn), messages);
        foreach (var g in _groups)
            BgpUpdatePacker.PackAnnouncements(g.Attributes!, g.Prefixes, context, messages);
        Clear();
    }

    public void Clear()
    {
        _withdrawn = 0;
        if (_withdrawals.Length > 4096)
            _withdrawals = new IpPrefix[64];
        foreach (var g in _groups)
        {
            g.Reset();
            if (_spare.Count < 64)
                _spare.Add(g);
        }
        _groups.Clear();
        _index.Clear();
        _last = null;
    }

    /// <summary>The prefixes of one attribute set, in an array that grows by doubling and is kept for the next batch.</summary>
    private sealed class Group
    {
        private IpPrefix[] _prefixes = new IpPrefix[16];

        public PathAttributes? Attributes { get; set; }
        public int Count { get; private set; }
        public ReadOnlySpan<IpPrefix> Prefixes => _prefixes.AsSpan(0, Count);

        public void Add(IpPrefix prefix)
        {
            if (Count == _prefixes.Length)
                Array.Resize(ref _prefixes, Count * 2);
            _prefixes[Count++] = prefix;
        }

        public void Reset()
        {
            Count = 0;
            Attributes = null;
            if (_prefixes.Length > 1024)
                _prefixes = new IpPrefix[16];
        }
    }
}
