using System.Net;

namespace Tabby.Cni.Results;

/// <summary>A route in a result; <see cref="Scope"/> is written from CNI 1.1.0 on (253 for link scope).</summary>
public sealed record ResultRoute(CidrAddress Destination, IPAddress? Gateway = null, int? Scope = null);
