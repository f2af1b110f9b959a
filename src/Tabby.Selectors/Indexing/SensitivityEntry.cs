namespace Tabby.Selectors.Indexing;

/// <summary>One change of a read key (the run of <see cref="AtomBucket"/> it sits in) that can move one anchored selector's result.</summary>
/// <param name="Literal">For <see cref="SensitivityMode.Literal"/>, the value it compares the key with; otherwise null.</param>
/// <param name="Mode">Which kind of change.</param>
/// <param name="Selector">The selector to re-evaluate.</param>
/// <param name="Steps">
/// The selector's <see cref="SelectorEntry.Steps"/>, copied here so that loading them does not wait
/// for the load of the (likely cold) selector entry: the two cache misses overlap instead of following each other.
/// </param>
internal readonly record struct SensitivityEntry(IndexedValue? Literal, SensitivityMode Mode, SelectorEntry Selector, MatchStep[] Steps)
{
    /// <summary>
    /// Whether the change can move the selector's result. Literals are compared by reference: the
    /// change's values come from the same <see cref="LabelCatalog"/>, so no string is loaded.
    /// </summary>
    public bool IsMovedBy(in LabelChange change) => Mode switch
    {
        SensitivityMode.Presence => change.IsPresenceChange,
        SensitivityMode.AnyValue => !change.IsPresenceChange,
        _ => !change.IsPresenceChange && (ReferenceEquals(Literal, change.Old) || ReferenceEquals(Literal, change.New)),
    };
}
