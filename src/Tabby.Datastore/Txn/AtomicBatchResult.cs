namespace Tabby.Datastore;

/// <summary>What <see cref="AtomicBatch.CommitBatchAsync"/> did: committed everything, or what it wrote, undid and could not undo.</summary>
public sealed record AtomicBatchResult
{
    public required AtomicBatchOutcome Outcome { get; init; }

    /// <summary>The transactions that committed (more than one only when the batch exceeded the store's <see cref="IDatastore.MaxTxnOps"/>).</summary>
    public int Transactions { get; init; }

    /// <summary>The writes that reached the store: all of them when committed, otherwise those that were then undone.</summary>
    public int Written { get; init; }

    /// <summary>The store revision after the last committed transaction (0 when none committed).</summary>
    public long Revision { get; init; }

    /// <summary>The keys that were no longer as planned, read atomically with the failed comparison.</summary>
    public IReadOnlyList<string> ConflictingKeys { get; init; } = [];

    /// <summary>Why the batch failed, when <see cref="Outcome"/> is <see cref="AtomicBatchOutcome.Failed"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Keys someone else changed after this batch wrote them; the undo left their change in place.</summary>
    public IReadOnlyList<string> KeptTheirs { get; init; } = [];

    /// <summary>Keys the undo could not reach (the datastore kept failing): they may still hold this batch's write.</summary>
    public IReadOnlyList<string> NotRestored { get; init; } = [];

    /// <summary>Why the undo could not finish, when <see cref="NotRestored"/> is not empty.</summary>
    public Exception? UndoError { get; init; }

    public bool Succeeded => Outcome == AtomicBatchOutcome.Committed;
}
