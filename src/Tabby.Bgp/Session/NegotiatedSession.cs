using System.Net;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>What both OPENs agreed on: hold time, AS width, families, and the peer's restart intentions.</summary>
public sealed record NegotiatedSession(
    uint PeerRouterId,
    uint PeerAs,
    ushort HoldTime,
    bool FourOctetAs,
    bool RouteRefresh,
    IReadOnlyList<BgpFamily> Families,
    GracefulRestartCapability? PeerGracefulRestart,
    IPEndPoint LocalEndPoint,
    IPEndPoint RemoteEndPoint);
