namespace Tabby.Bgp.Rib;

/// <summary>Where a path came from: originated here, or learned over iBGP or eBGP.</summary>
public enum PeerKind
{
    Local,
    Internal,
    External,
}
