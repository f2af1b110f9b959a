namespace Tabby.Bgp.Wire;

/// <summary>AS_PATH segment types (RFC 4271 4.3 and RFC 5065 for confederations).</summary>
public enum AsPathSegmentType : byte
{
    AsSet = 1,
    AsSequence = 2,
    ConfedSequence = 3,
    ConfedSet = 4,
}
