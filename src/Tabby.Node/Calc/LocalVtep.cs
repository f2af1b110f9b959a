using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>This node's VXLAN tunnel endpoint, as recorded on its Node resource.</summary>
/// <param name="Underlay">The node's own address: the source of encapsulated packets, and it picks the uplink.</param>
public sealed record LocalVtep(IPAddress Underlay, IPAddress TunnelAddress, MacAddress Mac);
