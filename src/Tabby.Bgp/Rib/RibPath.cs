using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>One candidate route: a prefix, its (interned) attributes and the peer it came from.</summary>
/// <param name="IsStale">Kept across a graceful restart of <see cref="Peer"/> and not yet refreshed (RFC 4724 4.2).</param>
public sealed record RibPath(IpPrefix Prefix, PathAttributes Attributes, RibPeer Peer, bool IsStale = false)
{
    public override string ToString() => $"{Prefix} from {Peer}{(IsStale ? " (stale)" : "")}: {Attributes}";
}
