using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>Tells watchers that the store revision moved: at once for this process's commits, by polling for other processes'.</summary>
internal sealed class SqliteChangeNotifier : IAsyncDisposable
{
    // Polling starts fast after a change and backs off while idle; the ceiling bounds cross-process latency.
    private static readonly TimeSpan s_minPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(8);

    private readonly string _connectionString;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private int _watchers;
    private Task? _poller;

    public SqliteChangeNotifier(string connectionString, long revision)
    {
        _connectionString = connectionString;
        _revision = revision;
    }

    public long Revision => Volatile.Read(ref _revision);

    public void Publish(long revision)
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            if (revision <= _revision)
            {
                return;
            }

            _revision = revision;
            fired = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }

    /// <summary>Waits until the revision is above <paramref name="afterRevision"/>.</summary>
    public async Task WaitAsync(long afterRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_revision > afterRevision)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers a watcher; the poller runs only while someone watches.</summary>
    public IDisposable Register()
    {
        lock (_lock)
        {
            Interlocked.Increment(ref _watchers);
            _poller ??= Task.Run(PollAsync);
        }

        return new Registration(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_poller is not null)
        {
            try
            {
                await _poller.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task PollAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT value FROM meta WHERE name = 'rev'";
            var delay = s_minPoll;
            while (!_stop.IsCancellationRequested)
            {
                if (Volatile.Read(ref _watchers) == 0)
                {
                    delay = s_maxPoll;
                }
                else
                {
                    try
                    {
                        var rev = (long)(cmd.ExecuteScalar() ?? 0L);
                        if (rev > Revision)
                        {
                            Publish(rev);
                            delay = s_minPoll;
                        }
                        else
                        {
                            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxPoll.Ticks));
                        }
                    }
                    catch (SqliteException)
                    {
                        // A busy or briefly unreadable file is retried on the next tick; watchers read the log themselves.
                        delay = s_maxPoll;
                    }
                }

                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    private sealed class Registration(SqliteChangeNotifier owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._watchers);
            }
        }
    }
}
