namespace Tabby.Bgp.Wire;

/// <summary>The ORIGIN attribute value (RFC 4271 5.1.1); lower is preferred.</summary>
public enum BgpOrigin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}
