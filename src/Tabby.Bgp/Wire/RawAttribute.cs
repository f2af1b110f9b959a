namespace Tabby.Bgp.Wire;

/// <summary>An optional transitive attribute Tabby does not understand, passed on verbatim with the Partial bit set.</summary>
/// <param name="Flags">Flags as they will be sent: Optional, Transitive and Partial; Extended Length is recomputed on encode.</param>
public sealed record RawAttribute(PathAttributeFlags Flags, byte TypeCode, ValueList<byte> Value);
