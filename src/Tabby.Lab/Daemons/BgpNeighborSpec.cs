using System.Net;

namespace Tabby.Lab.Daemons;

/// <summary>A BGP neighbour in a daemon's configuration.</summary>
public sealed record BgpNeighborSpec(IPAddress Address, uint RemoteAs)
{
    public bool RouteReflectorClient { get; init; }
    public bool Passive { get; init; }
    public string? Password { get; init; }
    public int Port { get; init; } = 179;
}
