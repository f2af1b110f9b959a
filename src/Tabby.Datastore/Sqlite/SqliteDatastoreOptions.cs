namespace Tabby.Datastore.Sqlite;

/// <summary>Settings for <see cref="SqliteDatastore"/>.</summary>
public sealed record SqliteDatastoreOptions
{
    /// <summary>How many revisions of history to keep; older ones are compacted automatically (0 disables it).</summary>
    /// <remarks>A watcher that falls further behind than this gets Compacted and re-lists, as with etcd's auto-compaction.</remarks>
    public long RetainRevisions { get; init; } = 100_000;

    /// <summary>How often to check whether history has outgrown <see cref="RetainRevisions"/>.</summary>
    public TimeSpan AutoCompactInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether opening a path with no database creates one; false makes a missing file a <see cref="DatastoreMissingException"/>.</summary>
    /// <remarks>Readers turn it off so a mistyped path fails instead of leaving an empty database behind (the parent directory is never created).</remarks>
    public bool CreateIfMissing { get; init; } = true;
}
