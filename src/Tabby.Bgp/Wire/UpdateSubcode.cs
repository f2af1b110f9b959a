namespace Tabby.Bgp.Wire;

/// <summary>Subcodes of the UPDATE Message Error (RFC 4271 6.3).</summary>
public enum UpdateSubcode : byte
{
    Unspecific = 0,
    MalformedAttributeList = 1,
    UnrecognizedWellKnownAttribute = 2,
    MissingWellKnownAttribute = 3,
    AttributeFlagsError = 4,
    AttributeLengthError = 5,
    InvalidOriginAttribute = 6,
    // 7 (AS Routing Loop) is deprecated by RFC 4271.
    InvalidNextHopAttribute = 8,
    OptionalAttributeError = 9,
    InvalidNetworkField = 10,
    MalformedAsPath = 11,
}
