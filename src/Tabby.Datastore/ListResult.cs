namespace Tabby.Datastore;

/// <summary>One page of a prefix listing, in key order, as of <see cref="Revision"/>.</summary>
/// <param name="Items">The keys of this page in byte order.</param>
/// <param name="Revision">The store revision the page was read at; pass it back to read later pages consistently.</param>
/// <param name="ContinueKey">Where the next page starts, or null when this is the last page.</param>
public sealed record ListResult(IReadOnlyList<KeyValue> Items, long Revision, string? ContinueKey)
{
    /// <summary>Whether more keys follow this page.</summary>
    public bool More => ContinueKey is not null;
}
