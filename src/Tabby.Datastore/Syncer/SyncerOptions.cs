namespace Tabby.Datastore.Syncer;

/// <summary>Retry and paging settings for <see cref="DatastoreSyncer"/>.</summary>
public sealed record SyncerOptions
{
    /// <summary>The first wait after a failure.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait between retries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Keys per list page.</summary>
    public int ListPageSize { get; init; } = 1000;
}
