using System.Net;

namespace Tabby.Bgp.Wire;

/// <summary>The AGGREGATOR attribute: the AS and router that formed an aggregate (RFC 4271 5.1.7).</summary>
public sealed record Aggregator(uint As, IPAddress Address);
