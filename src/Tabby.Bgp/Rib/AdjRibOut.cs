using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>One peer's Adj-RIB-Out: what was advertised, and pending changes grouped by attribute set for packing.</summary>
/// <remarks>
/// Changes are queued per prefix and coalesced, so a prefix that flaps before the next send costs
/// nothing, and one that ends where it started is not sent at all. Single-threaded by design.
/// </remarks>
public sealed class AdjRibOut
{
    private readonly Dictionary<IpPrefix, PathAttributes> _advertised = [];
    private readonly Dictionary<IpPrefix, PathAttributes?> _pending = [];
    private readonly HashSet<IpPrefix> _resend = [];

    public AdjRibOut(RibPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Peer = peer;
    }

    public RibPeer Peer { get; }
    public int AdvertisedCount => _advertised.Count;
    public int PendingCount => _pending.Count;
    public bool HasPending => _pending.Count > 0;

    public IEnumerable<KeyValuePair<IpPrefix, PathAttributes>> Advertised => _advertised;

    public PathAttributes? GetAdvertised(IpPrefix prefix) => _advertised.GetValueOrDefault(prefix);

    /// <summary>Queues <paramref name="prefix"/> to be announced with <paramref name="attributes"/> (post-export-policy).</summary>
    public void Advertise(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        // Re-announcing what the peer already has is a no-op, unless a refresh asked for everything again.
        if (_advertised.TryGetValue(prefix, out var current) && current.Equals(attributes) && !_resend.Contains(prefix))
            _pending.Remove(prefix);
        else
            _pending[prefix] = attributes;
    }

    /// <summary>Queues a withdrawal; a prefix never advertised just loses any pending announcement.</summary>
    public void Withdraw(IpPrefix prefix)
    {
        // A peer that was never sent anything (the source of every route, typically) has nothing to withdraw.
        if (_advertised.Count == 0 && _pending.Count == 0)
            return;
        if (_advertised.ContainsKey(prefix))
            _pending[prefix] = null;
        else
            _pending.Remove(prefix);
    }

    /// <summary>Re-queues everything advertised (the peer sent ROUTE-REFRESH); newer pending changes win.</summary>
    public void RefreshAll()
    {
        foreach (var (prefix, attributes) in _advertised)
        {
            if (_pending.TryAdd(prefix, attributes))
                _resend.Add(prefix);
        }
    }

    /// <summary>Forgets all state (the session went down); the next session starts from an empty Adj-RIB-Out.</summary>
    public void Reset()
    {
        _advertised.Clear();
        _pending.Clear();
        _resend.Clear();
    }

    /// <summary>Takes the pending changes as one batch and records them as advertised.</summary>
    public AdjRibOutBatch TakePending()
    {
        var withdrawals = new List<IpPrefix>();
        var groups = new List<(PathAttributes Attributes, List<IpPrefix> Prefixes)>();
        var index = new Dictionary<PathAttributes, int>();
        foreach (var (prefix, attributes) in _pending)
        {
            if (attributes is null)
            {
                withdrawals.Add(prefix);
                _advertised.Remove(prefix);
                continue;
            }
            if (!index.TryGetValue(attributes, out var g))
            {
                g = groups.Count;
                index.Add(attributes, g);
                groups.Add((attributes, []));
            }
            groups[g].Prefixes.Add(prefix);
            _advertised[prefix] = attributes;
        }
        _pending.Clear();
        _resend.Clear();
        return new AdjRibOutBatch(withdrawals, groups.Select(x => new AdjRibOutGroup(x.Attributes, x.Prefixes)).ToList());
    }
}
