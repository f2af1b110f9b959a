namespace Tabby.Selectors.Indexing;

/// <summary>One label of an endpoint update: its value before and after (null when absent).</summary>
internal readonly record struct LabelChange(string Key, string? Old, string? New);
