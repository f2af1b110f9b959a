namespace Tabby.Selectors.Indexing;

/// <summary>One tracked label of an endpoint update: its value object before and after (null when absent).</summary>
internal readonly record struct LabelChange(IndexedKey Key, IndexedValue? Old, IndexedValue? New)
{
    /// <summary>The key appeared or went away (rather than changing value).</summary>
    public bool IsPresenceChange => Old is null || New is null;
}
