using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>The single writer: drains queued items into one transaction per batch (group commit).</summary>
/// <remarks>
/// <para>While one batch waits for its fsync, new callers queue up; the next batch takes them all, so the
/// fsync cost is shared. Each caller awaits its own item, which completes only after the commit.</para>
/// <para>Nobody owns a writer thread. A caller that finds no commit under way commits the queue itself, on its own
/// thread, and finds its result already there: one writer at a time still, but an uncontended write (an IPAM
/// allocation of a host, a CLI apply) skips the two thread-pool hand-offs a dedicated writer costs, about a
/// sixth of an allocation's time. What queues up behind that commit is drained in the background, so no caller
/// commits more than one batch of other callers' work.</para>
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 8192;

    /// <summary>Less than this between one inline commit's end and the same thread's next write is taken for a burst.</summary>
    /// <remarks>A caller that awaits each write does some work between them (an IPAM allocation 50 µs and more); a loop
    /// that starts writes without awaiting them comes back within a few. Guessing wrong only costs speed: a burst
    /// taken for awaited writes commits its first write alone, awaited writes taken for a burst pay the hand-off.</remarks>
    private static readonly TimeSpan BurstGap = TimeSpan.FromMicroseconds(20);

    [ThreadStatic]
    private static long t_lastInlineCommitEnded;

    private readonly ConcurrentQueue<SqliteWriteItem> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteContext _context;
    private readonly SqliteChangeNotifier _notifier;
    private readonly string _endpoint;
    private readonly List<SqliteWriteItem> _batch = [];

    // 1 while someone (a caller or the background drain) holds the right to commit.
    private int _committing;
    private volatile bool _disposing;
    private volatile bool _closed;

    public SqliteWriter(string connectionString, string endpoint, SqliteChangeNotifier notifier)
    {
        _endpoint = endpoint;
        _notifier = notifier;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            // FULL: a commit that a caller saw succeed survives power loss; group commit pays for it.
            // A 64 MB page cache keeps the kv and log B-trees' upper levels hot under large batches.
            // The commit that fills the WAL to the checkpoint threshold also copies it into the database and waits
            // for that fsync: at SQLite's default of 1,000 pages (4 MB) that was every ~200 IPAM allocations, each
            // paying 5-15 ms. At 8,000 pages a page written again and again (a busy block, the revision counter) is
            // copied once per 32 MB instead of once per 4 MB; the IPAM bench's p99 went from 2.4 to 1.0 ms. The WAL
            // file is cut back to 64 MB after a checkpoint if a large batch grew it further.
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8000; PRAGMA journal_size_limit=67108864;";
            pragma.ExecuteNonQuery();
        }

        _context = new SqliteWriteContext(_connection);
    }

    public Task<T> EnqueueAsync<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposing, typeof(SqliteDatastore));
        var item = new SqliteWriteItem<T>(work, cancellationToken);
        _queue.Enqueue(item);
        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            if (Stopwatch.GetElapsedTime(t_lastInlineCommitEnded) < BurstGap)
            {
                // This thread committed inline a moment ago and is writing again without pause: most likely a burst
                // queued before any of it is awaited. Commit in the background, so the rest of it joins the batch.
                ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.DrainInBackground(), this, preferLocal: true);
            }
            else
            {
                // No commit under way: this caller commits, and leaves whatever queues meanwhile to the background.
                try
                {
                    CommitQueued();
                }
                finally
                {
                    t_lastInlineCommitEnded = Stopwatch.GetTimestamp();
                    Release();
                }
            }
        }
        else if (_closed)
        {
            // Disposal drained the queue before this item reached it.
            item.Fail(new ObjectDisposedException(nameof(SqliteDatastore)));
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        while (Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        // Everything queued before disposal began is committed; the right to commit is never given back.
        while (!_queue.IsEmpty)
        {
            CommitQueued();
        }

        _closed = true;
        while (_queue.TryDequeue(out var late))
        {
            late.Fail(new ObjectDisposedException(nameof(SqliteDatastore)));
        }

        _context.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Gives up the right to commit, or hands it to a background drain when items are waiting.</summary>
    private void Release()
    {
        while (true)
        {
            if (!_queue.IsEmpty && !_disposing)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.DrainInBackground(), this, preferLocal: true);
                return;
            }

            Volatile.Write(ref _committing, 0);
            // An item queued between the check and the release saw a commit under way and left it to us.
            if (_queue.IsEmpty || _disposing || Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void DrainInBackground()
    {
        try
        {
            while (!_queue.IsEmpty && !_disposing)
            {
                CommitQueued();
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Commits up to <see cref="MaxBatch"/> queued items as one transaction.</summary>
    private void CommitQueued()
    {
        _batch.Clear();
        while (_batch.Count < MaxBatch && _queue.TryDequeue(out var item))
        {
            if (item.IsCancelled)
            {
                item.Fail(new OperationCanceledException());
                continue;
            }

            _batch.Add(item);
        }

        if (_batch.Count > 0)
        {
            Commit(_batch);
        }
    }

    private void Commit(List<SqliteWriteItem> batch)
    {
        long revision;
        try
        {
            // IMMEDIATE takes the write lock up front, so another process's writer cannot interleave
            // between reading the revision counter and bumping it.
            using var tx = _connection.BeginTransaction(deferred: false);
            revision = _context.Begin(tx);
            foreach (var item in batch)
            {
                item.Execute(_context);
            }

            _context.Finish(revision);
            revision = _context.Revision;
            tx.Commit();
        }
        catch (Exception e)
        {
            // Whatever broke the batch, it was rolled back: fail its callers and keep the writer alive.
            var error = e is SqliteException ? new DatastoreUnavailableException(_endpoint, e) : new DatastoreException($"write to {_endpoint} failed: {e.Message}", e);
            foreach (var item in batch)
            {
                item.Fail(error);
            }

            return;
        }

        _notifier.Publish(revision);
        foreach (var item in batch)
        {
            item.Complete();
        }
    }
}
