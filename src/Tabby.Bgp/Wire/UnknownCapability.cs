namespace Tabby.Bgp.Wire;

/// <summary>A capability Tabby does not interpret, kept verbatim so it can be logged or refused with 2/7.</summary>
public sealed record UnknownCapability(byte CapabilityCode, ValueList<byte> Value) : BgpCapability
{
    public override byte Code => CapabilityCode;
}
