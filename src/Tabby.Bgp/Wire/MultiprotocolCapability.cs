namespace Tabby.Bgp.Wire;

/// <summary>Multiprotocol extensions capability: the sender can carry this AFI/SAFI (RFC 4760 8).</summary>
public sealed record MultiprotocolCapability(BgpFamily Family) : BgpCapability
{
    public override byte Code => MultiprotocolCode;
}
