namespace Tabby.Datastore.Sqlite;

/// <summary>A write item that produces a result for its caller once the batch commits.</summary>
internal sealed class SqliteWriteItem<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken) : SqliteWriteItem
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public Task<T> Task => _done.Task;

    public override bool IsCancelled => cancellationToken.IsCancellationRequested;

    public override void Execute(SqliteWriteContext context)
    {
        context.BeginOperation();
        try
        {
            _result = work(context);
        }
        catch (DatastoreException e)
        {
            // Items check their preconditions before writing, so a typed failure leaves nothing half-done.
            _error = e;
        }
    }

    public override void Complete()
    {
        if (_error is not null)
        {
            _done.TrySetException(_error);
        }
        else
        {
            _done.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _done.TrySetException(error);
}
