using System.Net;
using System.Text;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>Everything the routing manager needs to run this node's BGP speaker, resolved from the datastore.</summary>
public sealed record RoutingPlan
{
    /// <summary>No BGP: the node has no address to run it on, or routing is not wanted.</summary>
    public static RoutingPlan Disabled { get; } = new() { Enabled = false, Reason = "the node has no IPv4 BGP address" };

    public bool Enabled { get; init; } = true;

    /// <summary>Why routing is off, when it is.</summary>
    public string? Reason { get; init; }

    public uint LocalAs { get; init; }

    public IPAddress? RouterAddress { get; init; }

    public int ListenPort { get; init; } = 179;

    /// <summary>Set when this node is a route reflector.</summary>
    public uint? ClusterId { get; init; }

    public IReadOnlyList<PeerPlan> Peers { get; init; } = [];

    /// <summary>Prefixes to announce: owned blocks and borrowed workload addresses, minus pools that disable export.</summary>
    public IReadOnlyList<IpPrefix> Exports { get; init; } = [];

    /// <summary>The pools' CIDRs: only routes within them are installed from other nodes.</summary>
    public IReadOnlyList<IpPrefix> ImportPools { get; init; } = [];

    /// <summary>A text that changes exactly when the plan does (the sequencer emits only real changes).</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        text.Append(Enabled).Append('|').Append(Reason).Append('|').Append(LocalAs).Append('|').Append(RouterAddress).Append('|')
            .Append(ListenPort).Append('|').Append(ClusterId).Append('|');
        foreach (var peer in Peers)
            text.Append(peer.Describe()).Append(';');
        text.Append('|').AppendJoin(',', Exports).Append('|').AppendJoin(',', ImportPools);
        return text.ToString();
    }
}
