using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>Prefixes pending announcement that share one attribute set, ready for <see cref="BgpUpdatePacker"/>.</summary>
public sealed record AdjRibOutGroup(PathAttributes Attributes, IpPrefix[] Prefixes);
