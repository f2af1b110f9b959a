using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>Another node's VXLAN tunnel endpoint: where its MAC lives on the underlay (the FDB entry) and which tunnel address answers to it (the neighbour entry).</summary>
public sealed record RemoteVtep(string Node, IPAddress Underlay, IPAddress TunnelAddress, MacAddress Mac);
