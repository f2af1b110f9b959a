namespace Tabby.Datastore.Sqlite;

/// <summary>Settings for <see cref="SqliteDatastore"/>.</summary>
public sealed record SqliteDatastoreOptions
{
    /// <summary>How many revisions of history to keep; older ones are compacted automatically (0 disables it).</summary>
    /// <remarks>A watcher that falls further behind than this gets Compacted and re-lists, as with etcd's auto-compaction.</remarks>
    public long RetainRevisions { get; init; } = 100_000;

    /// <summary>How often to check whether history has outgrown <see cref="RetainRevisions"/>.</summary>
    public TimeSpan AutoCompactInterval { get; init; } = TimeSpan.FromSeconds(30);
}
