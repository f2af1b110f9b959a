namespace Tabby.Node.Calc;

/// <summary>Why this node peers with a neighbour, as `tabby node status` shows it (calicoctl's types, plus reflector).</summary>
public enum PeerType
{
    /// <summary>The node-to-node mesh.</summary>
    Mesh,

    /// <summary>A BGPPeer for every node.</summary>
    Global,

    /// <summary>A BGPPeer for this node (by name or node selector).</summary>
    NodeSpecific,

    /// <summary>A route-reflector session: the neighbour is this node's reflector, or this reflector's client.</summary>
    Reflector,
}
