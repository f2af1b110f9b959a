namespace Tabby.Node.Status;

/// <summary>What a running agent reports about itself (`tabby node status`).</summary>
public sealed record NodeStatusReport
{
    public required string Node { get; init; }

    public string? Namespace { get; init; }

    public string? Address { get; init; }

    public required string Datastore { get; init; }

    /// <summary>WaitingForDatastore, ResyncInProgress or InSync.</summary>
    public required string SyncState { get; init; }

    public bool Ready { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? LastApply { get; init; }

    public string? LastError { get; init; }

    public IReadOnlyList<EndpointStatus> Endpoints { get; init; } = [];

    public IReadOnlyList<RouteStatus> Routes { get; init; } = [];

    public IReadOnlyList<string> Blocks { get; init; } = [];

    /// <summary>The BGP neighbours, as calicoctl node status shows them.</summary>
    public IReadOnlyList<Routing.PeerReport> Peers { get; init; } = [];

    /// <summary>Why BGP is not running, when it is not.</summary>
    public string? Bgp { get; init; }

    /// <summary>Routes learned over BGP (their best paths), whether or not the kernel took them.</summary>
    public int RoutesLearned { get; init; }

    /// <summary>Of <see cref="RoutesLearned"/>, those not installed because nothing leads to their next hop (their rows in
    /// <see cref="Routes"/> have kind <c>unresolved</c>).</summary>
    public int RoutesUnresolved { get; init; }

    public int RoutesExported { get; init; }

    /// <summary>This node's VXLAN tunnel endpoint, when a pool uses VXLAN.</summary>
    public string? Vxlan { get; init; }

    /// <summary>Why a tunnel a pool asks for is not programmed (e.g. IPIP on a kernel without the ipip driver).</summary>
    public string? OverlayProblem { get; init; }
}
