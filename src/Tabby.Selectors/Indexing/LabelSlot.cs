namespace Tabby.Selectors.Indexing;

/// <summary>One label of an endpoint as the index keeps it.</summary>
/// <param name="Key">The key; for a tracked key, the <see cref="IndexedKey.Name"/> instance.</param>
/// <param name="Value">The value, as the caller last passed it (so an unchanged value usually compares equal by reference).</param>
/// <param name="Info">The value's object when the key is tracked; null when no selector reads the key.</param>
internal readonly record struct LabelSlot(string Key, string Value, IndexedValue? Info);
