namespace Tabby.Selectors.Indexing;

/// <summary>How the index finds a selector's candidate endpoints.</summary>
internal enum AnchorKind
{
    /// <summary>The selector can only match endpoints holding one of its anchor atoms.</summary>
    Atoms,

    /// <summary>No usable condition (e.g. <c>!has(x)</c>, <c>a != "b"</c>): evaluated against everything.</summary>
    Fallback,

    /// <summary>Reads no label and is always true (<c>all()</c>): matches every endpoint, stored nowhere.</summary>
    Universal,

    /// <summary>Can never match (<c>a in {}</c>, <c>!all()</c>, contradictions the analysis sees).</summary>
    Never,
}
