using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>One peer's routes as received, before import policy, with graceful-restart stale marks.</summary>
/// <remarks>
/// Keeping the pre-policy routes lets a policy change be re-applied without asking the peer for a
/// route refresh. Single-threaded by design, like the rest of the RIB.
/// </remarks>
public sealed class AdjRibIn
{
    private readonly Dictionary<IpPrefix, PathAttributes> _routes = [];
    private readonly HashSet<IpPrefix> _stale = [];
    private readonly PathAttributesInterner? _interner;

    public AdjRibIn(RibPeer peer, PathAttributesInterner? interner = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Peer = peer;
        _interner = interner;
    }

    public RibPeer Peer { get; }
    public int Count => _routes.Count;
    public int StaleCount => _stale.Count;

    public IEnumerable<KeyValuePair<IpPrefix, PathAttributes>> Routes => _routes;

    /// <summary>Stores a received route; returns false if it was already there unchanged (it is un-staled either way).</summary>
    public bool Update(IpPrefix prefix, PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var wasStale = _stale.Remove(prefix);
        if (_routes.TryGetValue(prefix, out var old))
        {
            if (old.Equals(attributes))
                return wasStale;
            _interner?.Release(old);
        }
        _routes[prefix] = _interner?.Acquire(attributes) ?? attributes;
        return true;
    }

    /// <summary>Removes a route; returns false if it was not there.</summary>
    public bool Withdraw(IpPrefix prefix)
    {
        if (!_routes.Remove(prefix, out var old))
            return false;
        _stale.Remove(prefix);
        _interner?.Release(old);
        return true;
    }

    public PathAttributes? Get(IpPrefix prefix) => _routes.GetValueOrDefault(prefix);

    public bool IsStale(IpPrefix prefix) => _stale.Contains(prefix);

    /// <summary>Marks every route in <paramref name="family"/> (all if null) stale when the peer restarts gracefully.</summary>
    public int MarkStale(BgpFamily? family = null)
    {
        var n = 0;
        foreach (var prefix in _routes.Keys)
        {
            if ((family is null || BgpFamily.For(prefix) == family) && _stale.Add(prefix))
                n++;
        }
        return n;
    }

    /// <summary>Removes the routes still stale in <paramref name="family"/> (all if null) and returns their prefixes for the Loc-RIB.</summary>
    public List<IpPrefix> SweepStale(BgpFamily? family = null)
    {
        var swept = new List<IpPrefix>();
        foreach (var prefix in _stale)
        {
            if (family is null || BgpFamily.For(prefix) == family)
                swept.Add(prefix);
        }
        foreach (var prefix in swept)
            Withdraw(prefix);
        return swept;
    }

    /// <summary>Forgets everything (session closed without graceful restart) and returns the prefixes that were held.</summary>
    public List<IpPrefix> Clear()
    {
        var all = _routes.Keys.ToList();
        foreach (var attrs in _routes.Values)
            _interner?.Release(attrs);
        _routes.Clear();
        _stale.Clear();
        return all;
    }
}
