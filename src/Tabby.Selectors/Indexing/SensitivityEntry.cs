using Tabby.Selectors.Evaluation;

namespace Tabby.Selectors.Indexing;

/// <summary>One change of a read key (the run of <see cref="AtomBucket"/> it sits in) that can move one anchored selector's result.</summary>
/// <param name="Literal">For <see cref="SensitivityMode.Literal"/>, the value it compares the key with; otherwise null.</param>
/// <param name="Mode">Which kind of change.</param>
/// <param name="Selector">The selector to re-evaluate.</param>
/// <param name="Evaluator">
/// The selector's compiled matcher, copied here so that loading it does not wait for the load of
/// the (likely cold) selector entry: the two cache misses overlap instead of following each other.
/// </param>
internal readonly record struct SensitivityEntry(string? Literal, SensitivityMode Mode, SelectorEntry Selector, Evaluator Evaluator)
{
    /// <summary>
    /// Hash of <see cref="Literal"/> (0 when null): a label update compares it with the old and new
    /// values' hashes first, so the literals that differ (nearly all, and each a separate string
    /// likely out of cache) are never loaded.
    /// </summary>
    public int LiteralHash { get; } = Literal is null ? 0 : StringComparer.Ordinal.GetHashCode(Literal);
}
