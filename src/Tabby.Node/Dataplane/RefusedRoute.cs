using Tabby.Linux.Netlink.Routes;

namespace Tabby.Node.Dataplane;

/// <summary>A learned route the kernel did not take, with its error.</summary>
public sealed record RefusedRoute(Route Route, string Error)
{
    /// <summary>Nothing in the main table leads to its next hop (no route, a blackhole, a loop): the usual reason, and
    /// one that goes away by itself once a route to the next hop appears.</summary>
    public bool NextHopUnresolved { get; init; }

    /// <summary>The earlier route of ours for the destination that the kernel keeps instead (a replace it refused leaves
    /// it as it was), or null when there is none.</summary>
    public Route? Kept { get; init; }
}
