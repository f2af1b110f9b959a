using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>A route to another node's block that comes from the datastore (its block affinity), not from BGP.</summary>
/// <param name="Gateway">The remote VTEP's tunnel address when <paramref name="Tunnel"/>, else the node's underlay address.</param>
/// <param name="Tunnel">True: via the VXLAN device, onlink; false: a plain route on the shared subnet (CrossSubnet, same subnet).</param>
public sealed record OverlayRoute(IpPrefix Destination, IPAddress Gateway, bool Tunnel)
{
    public override string ToString() => Tunnel ? $"{Destination} via {Gateway} dev vxlan.calico onlink" : $"{Destination} via {Gateway}";
}
