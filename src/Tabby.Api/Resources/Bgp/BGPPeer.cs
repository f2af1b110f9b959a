namespace Tabby.Api.Resources;

/// <summary>A BGP peering rule: which nodes peer with which remote address or selected nodes.</summary>
public sealed class BGPPeer : Resource<BGPPeerSpec>
{
    public override string Kind => "BGPPeer";
}
