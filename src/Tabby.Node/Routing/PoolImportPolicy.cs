using Tabby.Bgp.Policy;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.Routing;

/// <summary>What a node accepts from a neighbour: routes within the IP pools; from an outside router (a top-of-rack), also a default route.</summary>
/// <remarks>Everything else is treated as withdrawn, so a misbehaving peer cannot steer the host's own traffic.</remarks>
internal sealed class PoolImportPolicy(IReadOnlyList<IpPrefix> pools, bool acceptDefault) : IRoutePolicy
{
    public PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context)
    {
        var accepted = (acceptDefault && prefix.Length == 0) || pools.Any(pool => pool.Contains(prefix));
        return new PolicyResult(accepted, attributes, accepted ? "within the IP pools" : "outside the IP pools", NextHopAction.Default);
    }
}
