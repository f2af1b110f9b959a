using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>The NLRI part of MP_REACH_NLRI or MP_UNREACH_NLRI: a family and its prefixes (the next hop lives in <see cref="PathAttributes.MpNextHop"/>).</summary>
public sealed record MpNlri(BgpFamily Family, ValueList<IpPrefix> Prefixes);
