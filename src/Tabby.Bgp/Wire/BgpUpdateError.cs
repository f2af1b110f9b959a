namespace Tabby.Bgp.Wire;

/// <summary>Why an UPDATE is treated as a withdrawal (RFC 7606), with the RFC 4271 subcode it would once have reset the session with.</summary>
public sealed record BgpUpdateError(UpdateSubcode Subcode, string Reason)
{
    public override string ToString() => $"{BgpErrorNames.Describe(BgpErrorCode.UpdateMessage, (byte)Subcode)}: {Reason}";
}
