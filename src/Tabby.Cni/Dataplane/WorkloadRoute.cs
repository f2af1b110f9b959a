using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Dataplane;

/// <summary>A route programmed in the container, as the result lists it.</summary>
public sealed record WorkloadRoute(IpPrefix Destination, IPAddress? Gateway, bool LinkScope);
