namespace Tabby.Selectors.Indexing;

/// <summary>One indexable label condition: key == Value, or (Value null) has(key).</summary>
internal readonly record struct LabelAtom(string Key, string? Value);
