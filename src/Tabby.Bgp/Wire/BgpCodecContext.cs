namespace Tabby.Bgp.Wire;

/// <summary>What a session negotiated that changes how messages are encoded and decoded.</summary>
/// <param name="FourOctetAs">Both sides sent the 4-octet AS capability (RFC 6793): AS_PATH and AGGREGATOR carry 4-octet ASes.</param>
/// <param name="ExternalPeer">The peer is eBGP: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST it sends are discarded (RFC 4271 5.1.5, RFC 7606 7.5/7.9/7.10).</param>
public sealed record BgpCodecContext(bool FourOctetAs = true, bool ExternalPeer = false)
{
    /// <summary>A 4-octet iBGP context, the common case inside a cluster.</summary>
    public static BgpCodecContext Default { get; } = new();

    /// <summary>A context for a peer that did not negotiate 4-octet ASes (AS_TRANS and AS4_PATH rules apply).</summary>
    public static BgpCodecContext TwoOctet { get; } = new(FourOctetAs: false);
}
