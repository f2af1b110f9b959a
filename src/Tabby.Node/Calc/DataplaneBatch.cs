using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>One ordered, deduplicated set of changes for the dataplane, in dependency order.</summary>
/// <remarks>Applied in the order of the properties: endpoints (and so their interfaces' routes) appear before the
/// block routes that cover them, and go after them.</remarks>
public sealed record DataplaneBatch
{
    public IReadOnlyList<LocalEndpoint> EndpointUpserts { get; init; } = [];

    public IReadOnlyList<IpPrefix> BlockUpserts { get; init; } = [];

    public IReadOnlyList<EndpointId> EndpointRemoves { get; init; } = [];

    public IReadOnlyList<IpPrefix> BlockRemoves { get; init; } = [];

    /// <summary>The node's BGP plan, when it changed.</summary>
    public RoutingPlan? Routing { get; init; }

    /// <summary>The overlay (VXLAN, IPIP) plan, when it changed.</summary>
    public OverlayPlan? Overlay { get; init; }

    /// <summary>True in the batch that completes the first full picture: the dataplane may touch the kernel from then on.</summary>
    public bool InSync { get; init; }

    public bool IsEmpty => EndpointUpserts.Count == 0 && BlockUpserts.Count == 0 && EndpointRemoves.Count == 0 && BlockRemoves.Count == 0 && Routing is null && Overlay is null && !InSync;
}
