namespace Tabby.Bgp.Wire;

/// <summary>Support for 4-octet AS numbers, carrying the sender's real AS (RFC 6793).</summary>
public sealed record FourOctetAsCapability(uint As) : BgpCapability
{
    public override byte Code => FourOctetAsCode;
}
