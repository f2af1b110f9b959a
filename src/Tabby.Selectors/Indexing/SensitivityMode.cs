namespace Tabby.Selectors.Indexing;

/// <summary>Which changes of a read key a <see cref="SensitivityEntry"/> names.</summary>
internal enum SensitivityMode : byte
{
    /// <summary>The key's value changes from or to the literal.</summary>
    Literal,

    /// <summary>Any value change (the selector uses contains, starts with or ends with on it).</summary>
    AnyValue,

    /// <summary>The key appears or disappears.</summary>
    Presence,
}
