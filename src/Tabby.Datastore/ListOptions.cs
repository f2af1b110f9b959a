namespace Tabby.Datastore;

/// <summary>How to read one page of a prefix listing.</summary>
public sealed record ListOptions
{
    /// <summary>The revision to read at; 0 reads the latest. Pages after the first should pass the revision of the first.</summary>
    public long Revision { get; init; }

    /// <summary>The most keys to return; 0 returns all.</summary>
    public int Limit { get; init; }

    /// <summary>The first key to return (inclusive), normally <see cref="ListResult.ContinueKey"/> of the previous page.</summary>
    public string? ContinueKey { get; init; }
}
