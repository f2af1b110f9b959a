using System.Net;

namespace Tabby.Node.Calc;

/// <summary>One BGP session this node should have, resolved from Node, BGPPeer and BGPConfiguration resources.</summary>
public sealed record PeerPlan
{
    public required IPAddress Address { get; init; }

    public int Port { get; init; } = 179;

    public required uint RemoteAs { get; init; }

    public required PeerType Type { get; init; }

    /// <summary>The resource this session comes from (a BGPPeer's name, or "node-to-node mesh").</summary>
    public required string Source { get; init; }

    /// <summary>The neighbour is a Tabby node (so its routes are workload blocks), not an outside router.</summary>
    public string? PeerNode { get; init; }

    /// <summary>This node reflects routes to the neighbour (RFC 4456).</summary>
    public bool RouteReflectorClient { get; init; }

    /// <summary>The TCP-MD5 secret, as a Kubernetes-style reference (name, key); read by the routing manager.</summary>
    public (string Name, string Key)? Password { get; init; }

    /// <summary>Keep the next hop the routes came with (eBGP to a route server).</summary>
    public bool KeepOriginalNextHop { get; init; }

    /// <summary>How long the neighbour may take to come back before its routes go (graceful restart).</summary>
    public TimeSpan? MaxRestartTime { get; init; }

    /// <summary>The BGPPeer's keepaliveTime; the hold time proposed is three times it.</summary>
    public TimeSpan? KeepaliveTime { get; init; }

    /// <summary>Connect from the node's own address.</summary>
    public bool UseNodeAddress { get; init; } = true;

    /// <summary>The BGPFilters to apply, in the BGPPeer's order.</summary>
    public IReadOnlyList<BgpFilters.CompiledBgpFilter> Filters { get; init; } = [];

    /// <summary>Everything about the peer: equal texts mean nothing changed.</summary>
    public string Describe() => $"{DescribeSession()} f={DescribeFilters()}";

    /// <summary>What the session itself depends on: a change here resets it.</summary>
    public string DescribeSession() =>
        $"{Address}:{Port} AS{RemoteAs} {Type} {Source} {PeerNode} rrc={RouteReflectorClient} pw={Password} knh={KeepOriginalNextHop} mrt={MaxRestartTime} ka={KeepaliveTime} src={UseNodeAddress}";

    /// <summary>The peer's filters: a change here is applied to the running session (its routes are exported and asked for again).</summary>
    public string DescribeFilters() => string.Join(" | ", Filters);
}
