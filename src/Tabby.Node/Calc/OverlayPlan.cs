using System.Text;

namespace Tabby.Node.Calc;

/// <summary>What the overlay managers need: this node's VTEP, the other nodes' VTEPs, the routes through them, and the tunnels asked for.</summary>
public sealed record OverlayPlan
{
    public static OverlayPlan None { get; } = new();

    /// <summary>Some IPv4 pool asks for VXLAN: this node needs a tunnel address (allocated by the agent, recorded on its Node).</summary>
    public bool VxlanWanted { get; init; }

    /// <summary>This node's VTEP, once VXLAN is wanted and its Node carries a tunnel address and MAC; null: no device.</summary>
    public LocalVtep? Vtep { get; init; }

    public IReadOnlyList<RemoteVtep> Remotes { get; init; } = [];

    /// <summary>Routes to other nodes' blocks in VXLAN pools; they take precedence over BGP for the same destination.</summary>
    public IReadOnlyList<OverlayRoute> Routes { get; init; } = [];

    /// <summary>Pools that ask for IPIP (ipipMode Always or CrossSubnet), by name.</summary>
    public IReadOnlyList<string> IpipPools { get; init; } = [];

    /// <summary>Their CIDRs: nothing inside them is programmed (no route runs unencapsulated where a tunnel was asked for).</summary>
    public IReadOnlyList<Tabby.Core.Addressing.IpPrefix> IpipCidrs { get; init; } = [];

    public string Fingerprint()
    {
        var text = new StringBuilder();
        text.Append(VxlanWanted).Append('|').Append(Vtep).Append('|').AppendJoin(';', Remotes).Append('|')
            .AppendJoin(';', Routes).Append('|').AppendJoin(',', IpipPools).Append('|').AppendJoin(',', IpipCidrs);
        return text.ToString();
    }
}
