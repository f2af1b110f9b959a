namespace Tabby.Selectors.Indexing;

/// <summary>The index's state for one endpoint ID.</summary>
internal sealed class EndpointEntry(string id, LabelMap labels)
{
    public string Id { get; } = id;

    /// <summary>The hash of <see cref="Id"/> that <see cref="EndpointSet"/> files it under, computed once.</summary>
    public int Hash { get; } = EndpointSet.HashOf(id);

    /// <summary>A private copy, patched in place on updates, so callers may reuse the dictionaries they pass in.</summary>
    public LabelMap Labels { get; } = labels;

    /// <summary>Non-universal selectors that match it: the one record of the match relation.</summary>
    public MatchSet Matches { get; } = new();

    // Dedupes endpoints reached through several atoms while a selector is scanned.
    public long Epoch { get; set; }
}
