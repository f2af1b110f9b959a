using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Policy;

/// <summary>An import or export policy as the speaker runs it: accept or reject one route, with rewritten attributes.</summary>
/// <remarks>
/// <see cref="RoutePolicy"/> (ordered terms) is the implementation the configuration file builds; the agent can
/// build one from Calico's BGPFilter, or supply its own. Implementations must be thread-safe and side-effect
/// free: import runs on the RIB loop, export on every peer's writer at once.
/// </remarks>
public interface IRoutePolicy
{
    PolicyResult Evaluate(IpPrefix prefix, PathAttributes attributes, PolicyContext context);
}
