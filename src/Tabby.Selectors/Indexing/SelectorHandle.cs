namespace Tabby.Selectors.Indexing;

/// <summary>A selector as the index's loops hold it: with its compiled steps beside it.</summary>
/// <param name="Selector">The selector's entry (for its identity in match sets).</param>
/// <param name="Steps">
/// Its <see cref="SelectorEntry.Steps"/>: evaluating it and reporting a change (the header step
/// holds its ID) then never loads the entry, which is likely cold, before the steps.
/// </param>
internal readonly record struct SelectorHandle(SelectorEntry Selector, MatchStep[] Steps);
