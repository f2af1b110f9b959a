namespace Tabby.Selectors.Indexing;

/// <summary>One label of an endpoint update: its value before and after (null when absent).</summary>
internal readonly record struct LabelChange(string Key, string? Old, string? New)
{
    /// <summary>Hash of <see cref="Old"/> (0 when absent), so sensitivity entries can skip non-matching literals without loading them.</summary>
    public int OldHash { get; } = Old is null ? 0 : StringComparer.Ordinal.GetHashCode(Old);

    /// <summary>Hash of <see cref="New"/> (0 when absent).</summary>
    public int NewHash { get; } = New is null ? 0 : StringComparer.Ordinal.GetHashCode(New);
}
