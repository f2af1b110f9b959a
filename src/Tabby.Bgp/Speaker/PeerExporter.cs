using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>One Established session's export side: what this peer should hear about each best-path change, kept in its Adj-RIB-Out.</summary>
/// <remarks>
/// Runs on the peer's writer task, not on the RIB loop: the loop hands over immutable change lists,
/// and every peer rewrites, filters, packs and sends in parallel with the loop's next batch.
/// Attribute rewrites are computed once per shared attribute set, not once per prefix.
/// </remarks>
internal sealed class PeerExporter
{
    private readonly RouteReflectionRules _reflection;
    private readonly uint _localAs;
    private readonly RibPeer _peer;
    private readonly BgpPeerConfig _config;
    private readonly BgpNextHop? _selfV4;
    private readonly BgpNextHop? _selfV6;
    private readonly bool _exportsV4;
    private readonly bool _exportsV6;
    private readonly Dictionary<(PathAttributes Attributes, RibPeer From, bool V6), PathAttributes> _cache = new(ExportKeyComparer.Instance);
    private (PathAttributes? Attributes, RibPeer? From, bool V6) _lastKey;
    private PathAttributes? _lastResult;

    public PeerExporter(RouteReflectionRules reflection, uint localAs, RibPeer peer, BgpPeerConfig config, IPEndPoint localEndPoint, IReadOnlyList<BgpFamily> families)
    {
        _reflection = reflection;
        _localAs = localAs;
        _peer = peer;
        _config = config;
        Out = new AdjRibOut(peer);
        var local = localEndPoint.Address.IsIPv4MappedToIPv6 ? localEndPoint.Address.MapToIPv4() : localEndPoint.Address;
        // Our address on the session is the next hop we can vouch for, in its own family only.
        if (local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            _selfV6 = new BgpNextHop(local);
        else
            _selfV4 = new BgpNextHop(local);
        _exportsV4 = families.Contains(BgpFamily.Ipv4Unicast);
        _exportsV6 = families.Contains(BgpFamily.Ipv6Unicast);
    }

    public AdjRibOut Out { get; }

    /// <summary>Forgets rewrites between batches, so the cache never holds attribute sets the RIB has dropped.</summary>
    public void ResetCache()
    {
        _cache.Clear();
        _lastKey = default;
        _lastResult = null;
    }

    /// <summary>Decides what this peer should hear about one prefix, and queues it in the Adj-RIB-Out.</summary>
    public void Export(IpPrefix prefix, RibPath? best)
    {
        if (best is null || !(prefix.IsIPv6 ? _exportsV6 : _exportsV4) || !_reflection.ShouldAdvertise(best, _peer))
        {
            Out.Withdraw(prefix);
            return;
        }
        var selfNextHop = prefix.IsIPv6 ? _selfV6 : _selfV4;
        var attributes = Rewrite(best, prefix.IsIPv6, selfNextHop);
        if (_config.Export is { } export)
        {
            var result = export.Evaluate(prefix, attributes, new PolicyContext(_localAs, selfNextHop?.Global, selfNextHop, best.Attributes));
            if (!result.Accepted)
            {
                Out.Withdraw(prefix);
                return;
            }
            attributes = result.Attributes;
        }
        Out.Advertise(prefix, attributes);
    }

    private PathAttributes Rewrite(RibPath best, bool v6, BgpNextHop? selfNextHop)
    {
        // Consecutive prefixes usually come from one UPDATE and share everything: check the last key first.
        if (ReferenceEquals(_lastKey.Attributes, best.Attributes) && ReferenceEquals(_lastKey.From, best.Peer) && _lastKey.V6 == v6)
            return _lastResult!;
        var key = (best.Attributes, best.Peer, v6);
        if (!_cache.TryGetValue(key, out var attributes))
        {
            var nextHopSelf = best.Peer.Kind == PeerKind.Local || _peer.IsExternal || (_config.NextHopSelf && !best.Peer.IsInternal);
            attributes = _reflection.PrepareForPeer(best, _peer, _peer.IsExternal ? selfNextHop : null);
            if (nextHopSelf && selfNextHop is not null)
                attributes = RouteReflectionRules.WithNextHop(attributes, selfNextHop);
            _cache[key] = attributes;
        }
        _lastKey = key;
        _lastResult = attributes;
        return attributes;
    }
}
