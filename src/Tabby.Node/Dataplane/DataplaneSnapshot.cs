using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Calc;

namespace Tabby.Node.Dataplane;

/// <summary>What the last apply left in the kernel, for status and readiness (immutable, swapped whole).</summary>
public sealed record DataplaneSnapshot
{
    public static DataplaneSnapshot Empty { get; } = new();

    public IReadOnlyList<LocalEndpoint> Endpoints { get; init; } = [];

    public IReadOnlyList<int> ProgrammedInterfaces { get; init; } = [];

    public IReadOnlyList<Route> WorkloadRoutes { get; init; } = [];

    public IReadOnlyList<IpPrefix> Blocks { get; init; } = [];

    /// <summary>Routes learned over BGP, as their peers announced them.</summary>
    public IReadOnlyList<Route> LearnedRoutes { get; init; } = [];

    /// <summary>Learned routes the kernel refused in the last apply (they are not in the FIB).</summary>
    public IReadOnlyList<RefusedRoute> RefusedRoutes { get; init; } = [];

    public int Programmed { get; init; }

    /// <summary>The overlay plan the last apply worked from.</summary>
    public OverlayPlan Overlay { get; init; } = OverlayPlan.None;

    /// <summary>The VXLAN device as programmed, or null when there is none.</summary>
    public string? VxlanDevice { get; init; }

    /// <summary>Why a tunnel some pool asks for is not programmed (IPIP without a driver); the node is not ready while set.</summary>
    public string? OverlayProblem { get; init; }

    public DateTimeOffset? LastApply { get; init; }

    public string? LastError { get; init; }
}
