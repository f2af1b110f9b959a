using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>A best-path change as the speaker's writers take it: no per-route objects, and the Loc-RIB slot that keys each peer's Adj-RIB-Out.</summary>
/// <param name="Slot">The prefix's Loc-RIB slot: stable while the prefix exists, reused only after its withdrawal has been reported.</param>
/// <param name="Attributes">The new best path's attributes; null when the prefix is gone.</param>
/// <param name="From">The peer the new best path came from.</param>
/// <param name="PreviousAttributes">The best path's attributes before the change; null when the prefix is new.</param>
internal readonly record struct RouteChange(int Slot, IpPrefix Prefix, PathAttributes? Attributes, RibPeer? From, bool Stale, PathAttributes? PreviousAttributes = null, RibPeer? PreviousFrom = null)
{
    public RibPath? Best => Attributes is null ? null : new RibPath(Prefix, Attributes, From!, Stale);

    /// <summary>The public form, with path objects made for the subscriber.</summary>
    public BestPathChange ToBestPathChange() =>
        new(Prefix, Best, PreviousAttributes is null ? null : new RibPath(Prefix, PreviousAttributes, PreviousFrom!));
}
