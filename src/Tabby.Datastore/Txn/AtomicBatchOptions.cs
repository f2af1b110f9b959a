namespace Tabby.Datastore;

/// <summary>Settings for <see cref="AtomicBatch.CommitBatchAsync"/>.</summary>
public sealed record AtomicBatchOptions
{
    /// <summary>The pause before each new attempt at an undo the datastore failed; one attempt per entry, then the keys left are reported.</summary>
    public IReadOnlyList<TimeSpan> UndoRetryDelays { get; init; } =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
}
