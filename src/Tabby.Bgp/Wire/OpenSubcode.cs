namespace Tabby.Bgp.Wire;

/// <summary>Subcodes of the OPEN Message Error (RFC 4271 6.2, RFC 5492 for 7).</summary>
public enum OpenSubcode : byte
{
    Unspecific = 0,
    UnsupportedVersionNumber = 1,
    BadPeerAs = 2,
    BadBgpIdentifier = 3,
    UnsupportedOptionalParameter = 4,
    // 5 (Authentication Failure) is deprecated by RFC 4271.
    UnacceptableHoldTime = 6,
    UnsupportedCapability = 7,
    RoleMismatch = 11,
}
