namespace Tabby.Datastore.Sqlite;

/// <summary>One caller's unit of work inside a group-committed SQLite transaction.</summary>
internal abstract class SqliteWriteItem
{
    /// <summary>Runs inside the batch transaction; a <see cref="DatastoreException"/> fails only this item.</summary>
    public abstract void Execute(SqliteWriteContext context);

    /// <summary>Called after the batch committed.</summary>
    public abstract void Complete();

    /// <summary>Called when this item or the whole batch failed.</summary>
    public abstract void Fail(Exception error);

    /// <summary>True when the caller gave up before the item ran; the writer skips it.</summary>
    public abstract bool IsCancelled { get; }
}
