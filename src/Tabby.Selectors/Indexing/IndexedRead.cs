namespace Tabby.Selectors.Indexing;

/// <summary>A <see cref="KeyUse"/> resolved against the <see cref="LabelCatalog"/>: the key and literal objects a label change is compared with.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Literals">The values it compares the key with; each counted in <see cref="IndexedValue.SelectorRefs"/> while registered.</param>
/// <param name="AnyValue">It also reads the value with contains/starts with/ends with, so any change counts.</param>
internal sealed record IndexedRead(IndexedKey Key, IndexedValue[] Literals, bool AnyValue);
