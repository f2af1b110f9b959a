using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>One Established session's export side: what this peer should hear about each best-path change, with its Adj-RIB-Out bits.</summary>
/// <remarks>
/// Runs on the peer's writer task, not on the RIB loop: the loop hands over immutable change lists,
/// and every peer rewrites, filters, packs and sends in parallel with the loop's next batch.
/// Attribute rewrites are computed once per shared attribute set, not once per prefix. A route that
/// would leave without a usable next hop for its family (IPv6 over an IPv4 session, say, where we have
/// no IPv6 address to put in MP_REACH_NLRI) is not sent; the first such route per family is logged
/// and the rest are counted.
/// </remarks>
internal sealed partial class PeerExporter
{
    // Marks a cached rewrite whose result is "do not send": the cache holds results, and null means absent.
    private static readonly PathAttributes s_unsendable = new();

    private readonly RouteReflectionRules _reflection;
    private readonly uint _localAs;
    private readonly RibPeer _peer;
    private readonly BgpPeerConfig _config;
    private readonly BgpNextHop? _selfV4;
    private readonly BgpNextHop? _selfV6;
    private readonly PeerFamily? _v4;
    private readonly PeerFamily? _v6;
    private readonly ILogger _logger;
    private readonly Dictionary<(PathAttributes Attributes, RibPeer From, bool V6), PathAttributes> _cache = new(ExportKeyComparer.Instance);
    private (PathAttributes? Attributes, RibPeer? From, bool V6) _lastKey;
    private PathAttributes? _lastResult;

    /// <param name="families">The negotiated families with their counters; a family absent here is never exported.</param>
    public PeerExporter(RouteReflectionRules reflection, uint localAs, RibPeer peer, BgpPeerConfig config, IPEndPoint localEndPoint, IReadOnlyList<PeerFamily> families, ILogger logger)
    {
        _reflection = reflection;
        _localAs = localAs;
        _peer = peer;
        _config = config;
        _logger = logger;
        Policy = config.Export;
        Out = new AdjRibOut();
        var local = localEndPoint.Address.IsIPv4MappedToIPv6 ? localEndPoint.Address.MapToIPv4() : localEndPoint.Address;
        // Our address on the session is the next hop we can vouch for, in its own family only.
        if (local.AddressFamily == AddressFamily.InterNetworkV6)
            _selfV6 = new BgpNextHop(local);
        else
            _selfV4 = new BgpNextHop(local);
        _v4 = families.FirstOrDefault(f => !f.Family.IsIpv6);
        _v6 = families.FirstOrDefault(f => f.Family.IsIpv6);
    }

    public AdjRibOut Out { get; }

    /// <summary>The export policy; replaced on the writer's own task when the peer is reconfigured.</summary>
    public IRoutePolicy? Policy { get; set; }

    /// <summary>Forgets rewrites between batches, so the cache never holds attribute sets the RIB has dropped.</summary>
    public void ResetCache()
    {
        _cache.Clear();
        _lastKey = default;
        _lastResult = null;
    }

    /// <summary>Decides what this peer should hear about one best-path change: an announcement, a withdrawal, or nothing.</summary>
    public void Export(in RouteChange change, UpdateBatch batch)
    {
        var prefix = change.Prefix;
        var v6 = prefix.IsIPv6;
        var family = v6 ? _v6 : _v4;
        PathAttributes? attributes = null;
        if (change.Attributes is { } best && family is not null && _reflection.ShouldAdvertise(best, change.From!, _peer))
        {
            attributes = Rewrite(best, change.From!, prefix, v6 ? _selfV6 : _selfV4);
            if (attributes is not null && Policy is { } export)
            {
                var result = export.Evaluate(prefix, attributes, new PolicyContext(_localAs, _selfV4?.Global, _selfV6, best, change.From!.Kind == PeerKind.Local));
                attributes = result.Accepted ? result.Attributes : null;
                if (attributes is not null && !HasUsableNextHop(attributes, v6))
                    attributes = Unsendable(family, prefix, "export policy left no next hop for the family");
            }
        }
        if (attributes is not null)
        {
            Out.MarkAdvertised(change.Slot, v6);
            batch.Announce(prefix, attributes);
        }
        else if (Out.MarkWithdrawn(change.Slot, v6))
        {
            // Only what the peer has needs withdrawing; the source of a route, typically, was never sent it.
            batch.Withdraw(prefix);
        }
    }

    /// <summary>The attributes to send before export policy, or null when the route cannot be sent to this peer.</summary>
    private PathAttributes? Rewrite(PathAttributes best, RibPeer from, IpPrefix prefix, BgpNextHop? selfNextHop)
    {
        var v6 = prefix.IsIPv6;
        // Consecutive prefixes usually come from one UPDATE and share everything: check the last key first.
        if (ReferenceEquals(_lastKey.Attributes, best) && ReferenceEquals(_lastKey.From, from) && _lastKey.V6 == v6)
            return ReferenceEquals(_lastResult, s_unsendable) ? NoteSkipped(v6) : _lastResult;
        var key = (best, from, v6);
        if (!_cache.TryGetValue(key, out var attributes))
        {
            var nextHopSelf = from.Kind == PeerKind.Local || _peer.IsExternal || (_config.NextHopSelf && !from.IsInternal);
            if (nextHopSelf && selfNextHop is null)
            {
                Unsendable(v6 ? _v6! : _v4!, prefix, $"this {(v6 ? "IPv4" : "IPv6")} session has no {(v6 ? "IPv6" : "IPv4")} address of ours to use as next hop");
                attributes = s_unsendable;
            }
            else
            {
                attributes = _reflection.PrepareForPeer(best, from, _peer, _peer.IsExternal ? selfNextHop : null);
                if (nextHopSelf && selfNextHop is not null)
                    attributes = RouteReflectionRules.WithNextHop(attributes, selfNextHop);
                if (!HasUsableNextHop(attributes, v6))
                {
                    Unsendable(v6 ? _v6! : _v4!, prefix, "the route has no next hop of its family to pass on");
                    attributes = s_unsendable;
                }
            }
            _cache[key] = attributes;
        }
        else if (ReferenceEquals(attributes, s_unsendable))
        {
            NoteSkipped(v6);
        }
        _lastKey = key;
        _lastResult = attributes;
        return ReferenceEquals(attributes, s_unsendable) ? null : attributes;
    }

    /// <summary>IPv4 NLRI needs an IPv4 NEXT_HOP; IPv6 NLRI an IPv6 next hop in MP_REACH_NLRI (RFC 4760 3, no RFC 8950).</summary>
    private static bool HasUsableNextHop(PathAttributes attributes, bool v6) =>
        v6
            ? attributes.MpNextHop is { Global.AddressFamily: AddressFamily.InterNetworkV6 }
            : attributes.NextHop is { AddressFamily: AddressFamily.InterNetwork };

    private PathAttributes? Unsendable(PeerFamily family, IpPrefix example, string reason)
    {
        if (Interlocked.Increment(ref family.Skipped) == 1)
            Log.NoUsableNextHop(_logger, family.Family, _config.ToString(), example, reason);
        return null;
    }

    private PathAttributes? NoteSkipped(bool v6)
    {
        Interlocked.Increment(ref (v6 ? _v6! : _v4!).Skipped);
        return null;
    }
}
