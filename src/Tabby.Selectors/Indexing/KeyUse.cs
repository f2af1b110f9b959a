namespace Tabby.Selectors.Indexing;

/// <summary>How a selector reads one label key, which decides which value changes can move its result.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Literals">The values it compares the key with (==, !=, in, not in).</param>
/// <param name="AnyValue">It also reads the value in other ways (contains, starts with, ends with), so any change counts.</param>
/// <remarks>
/// A value change from v0 to v1 cannot change a comparison with a literal other than v0 and v1,
/// nor has(key): so such a selector only needs a look if v0 or v1 is among its literals.
/// </remarks>
internal sealed record KeyUse(string Key, string[] Literals, bool AnyValue);
