namespace Tabby.Datastore;

/// <summary>How a batch ended; unless it committed, what it wrote has been undone (see <see cref="AtomicBatchResult.NotRestored"/> for what could not be).</summary>
public enum AtomicBatchOutcome
{
    /// <summary>Every write is in the store.</summary>
    Committed,

    /// <summary>A key was no longer as planned (<see cref="AtomicBatchResult.ConflictingKeys"/>).</summary>
    Conflict,

    /// <summary>A transaction failed or was cancelled (<see cref="AtomicBatchResult.Error"/>).</summary>
    Failed,
}
