using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>The embedded datastore: one SQLite file in WAL mode, shareable by several processes.</summary>
public sealed class SqliteDatastore : IDatastore
{
    private const int WatchPage = 1024;
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMilliseconds(200);

    // Idle read connections kept open beyond this many are closed: enough for a process's concurrent readers.
    private static readonly int s_maxIdleReaders = Math.Max(4, Environment.ProcessorCount);

    private readonly string _connectionString;
    private readonly SqliteChangeNotifier _notifier;
    private readonly SqliteWriter _writer;
    private readonly Timer _sweeper;
    private readonly Timer? _compactor;
    private readonly SqliteDatastoreOptions _options;
    private readonly ConcurrentBag<SqliteReader> _readers = [];
    private int _sweeping;
    private int _disposed;

    private SqliteDatastore(string path, SqliteDatastoreOptions options)
    {
        _options = options;
        Path = System.IO.Path.GetFullPath(path);
        Endpoint = "sqlite:" + Path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            // ReadWrite also covers the race where the file vanishes between Open's check and this connection.
            Mode = options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        long revision;
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            SqliteSchema.Create(connection);
            revision = ReadMeta(connection, null, "rev");
        }

        _notifier = new SqliteChangeNotifier(_connectionString, revision);
        _writer = new SqliteWriter(_connectionString, Endpoint, _notifier);
        _sweeper = new Timer(_ => SweepLeases(), null, s_sweepInterval, s_sweepInterval);
        if (options.RetainRevisions > 0)
        {
            _compactor = new Timer(_ => AutoCompact(), null, options.AutoCompactInterval, options.AutoCompactInterval);
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <inheritdoc />
    /// <remarks>No limit: a batch of any size is one SQLite transaction.</remarks>
    public int MaxTxnOps => int.MaxValue;

    /// <summary>Opens the database at <paramref name="path"/>, creating it unless <see cref="SqliteDatastoreOptions.CreateIfMissing"/> is off.</summary>
    /// <exception cref="DatastoreMissingException">There is no file at the path and the options say not to create one.</exception>
    /// <exception cref="DatastoreUnavailableException">The file cannot be opened or created.</exception>
    public static SqliteDatastore Open(string path, SqliteDatastoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new SqliteDatastoreOptions();
        if (!options.CreateIfMissing && !File.Exists(path))
        {
            throw new DatastoreMissingException(System.IO.Path.GetFullPath(path));
        }

        try
        {
            return new SqliteDatastore(path, options);
        }
        catch (SqliteException e)
        {
            throw new DatastoreUnavailableException("sqlite:" + path, e);
        }
    }

    /// <inheritdoc />
    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => Read(reader => reader.Get(key));

    /// <inheritdoc />
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        Read(reader => reader.Meta("rev"));

    /// <inheritdoc />
    public Task<ListResult> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default) => Read(reader =>
    {
        var connection = reader.Connection;
        options ??= new ListOptions();

        // One read transaction makes the revision, the compaction point and the rows one snapshot.
        using var tx = connection.BeginTransaction(deferred: true);
        var current = ReadMeta(connection, tx, "rev");
        var compacted = ReadMeta(connection, tx, "compact");
        var at = options.Revision <= 0 ? current : options.Revision;
        if (at > current)
        {
            throw new DatastoreException($"revision {at} is in the future (current revision {current})");
        }

        if (at < compacted)
        {
            throw new DatastoreCompactedException(at, compacted);
        }

        var start = options.ContinueKey is { } c && string.CompareOrdinal(c, prefix) > 0 ? c : prefix;
        var end = KeyRange.PrefixEnd(prefix);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = at == current
            ? "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key >= $s AND ($e IS NULL OR key < $e) ORDER BY key LIMIT $n"
            : """
              SELECT l.key, l.value, l.create_rev, l.rev, l.version, l.lease FROM log l
              WHERE l.key >= $s AND ($e IS NULL OR l.key < $e) AND l.value IS NOT NULL
                AND l.rev = (SELECT MAX(l2.rev) FROM log l2 WHERE l2.key = l.key AND l2.rev <= $at)
              ORDER BY l.key LIMIT $n
              """;
        cmd.Parameters.AddWithValue("$s", start);
        cmd.Parameters.AddWithValue("$e", (object?)end ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", at);
        cmd.Parameters.AddWithValue("$n", options.Limit > 0 ? options.Limit + 1L : -1L);
        var items = new List<KeyValue>();
        string? next = null;
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var key = r.GetString(0);
                if (options.Limit > 0 && items.Count == options.Limit)
                {
                    next = key;
                    break;
                }

                items.Add(ReadKeyValue(key, r, 1));
            }
        }

        tx.Commit();
        return new ListResult(items, at, next);
    });

    /// <inheritdoc />
    public Task<long> PutAsync(string key, byte[] value, long? leaseId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return _writer.EnqueueAsync(ctx =>
        {
            ctx.RequireLease(leaseId);
            return ctx.PutRevisionOnly(key, value, leaseId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KeyValue?> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _writer.EnqueueAsync(ctx => ctx.Delete(key), cancellationToken);
    }

    /// <inheritdoc />
    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var op in request.If.Select(c => c.Key).Concat(request.Then.Concat(request.Else).Select(o => o.Key)))
        {
            ArgumentNullException.ThrowIfNull(op, nameof(request));
        }

        request.ThrowIfDuplicateWrites();
        return _writer.EnqueueAsync(ctx =>
        {
            var succeeded = request.If.All(c => c.Evaluate(ctx.Get(c.Key)));
            var ops = succeeded ? request.Then : request.Else;
            foreach (var op in ops)
            {
                if (op.Kind == TxnOpKind.Put)
                {
                    ctx.RequireLease(op.LeaseId);
                }
            }

            var results = new List<KeyValue?>(ops.Count);
            foreach (var op in ops)
            {
                results.Add(op.Kind switch
                {
                    TxnOpKind.Put => ctx.Put(op.Key, op.Value ?? [], op.LeaseId),
                    TxnOpKind.Delete => ctx.Delete(op.Key),
                    _ => ctx.Get(op.Key),
                });
            }

            return new TxnResult(succeeded, ctx.Revision, results);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var ttlMs = Math.Max(1L, (long)ttl.TotalMilliseconds);
        return _writer.EnqueueAsync(ctx =>
        {
            // Random ids, like etcd's, so leases from several processes never collide.
            var id = Random.Shared.NextInt64(1, long.MaxValue);
            using var cmd = ctx.CreateCommand("INSERT INTO leases(id, ttl_ms, expires_ms) VALUES ($id, $ttl, $exp)");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$ttl", ttlMs);
            cmd.Parameters.AddWithValue("$exp", NowMs() + ttlMs);
            cmd.ExecuteNonQuery();
            return id;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TimeSpan> KeepAliveLeaseAsync(long leaseId, CancellationToken cancellationToken = default) =>
        _writer.EnqueueAsync(ctx =>
        {
            using var cmd = ctx.CreateCommand(
                "UPDATE leases SET expires_ms = $now + ttl_ms WHERE id = $id AND expires_ms > $now RETURNING ttl_ms");
            cmd.Parameters.AddWithValue("$id", leaseId);
            cmd.Parameters.AddWithValue("$now", NowMs());
            return cmd.ExecuteScalar() is long ttl ? TimeSpan.FromMilliseconds(ttl) : throw DatastoreNotFoundException.ForLease(leaseId);
        }, cancellationToken);

    /// <inheritdoc />
    public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) =>
        _writer.EnqueueAsync(ctx =>
        {
            ctx.RevokeLease(leaseId);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        _writer.EnqueueAsync(ctx =>
        {
            if (revision > ctx.Revision)
            {
                throw new DatastoreException($"cannot compact to revision {revision}: it is in the future (current revision {ctx.Revision})");
            }

            if (revision <= ReadMeta(ctx.Connection, ctx.Transaction, "compact"))
            {
                return true;
            }

            // Keep, for every key, its newest row at or below the compaction point, so the state at that
            // revision can still be listed; drop superseded rows first, then deletes nothing depends on.
            using var cmd = ctx.CreateCommand(
                """
                DELETE FROM log WHERE rev < $c AND rev < (SELECT MAX(l2.rev) FROM log l2 WHERE l2.key = log.key AND l2.rev <= $c);
                DELETE FROM log WHERE rev < $c AND value IS NULL;
                UPDATE meta SET value = $c WHERE name = 'compact';
                """);
            cmd.Parameters.AddWithValue("$c", revision);
            cmd.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var registration = _notifier.Register();
        var connection = new SqliteConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            OpenOrThrow(connection);
            using var cmd = connection.CreateCommand();
            // Pages resume at (revision, position in its transaction), so a transaction larger than a page
            // is delivered whole, never cut at the page boundary.
            cmd.CommandText = """
                SELECT rev, key, value, create_rev, prev, sub FROM log
                WHERE (rev, sub) >= ($from, $sub) AND key >= $s AND ($e IS NULL OR key < $e) ORDER BY rev, sub LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$s", prefix);
            cmd.Parameters.AddWithValue("$e", (object?)KeyRange.PrefixEnd(prefix) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", WatchPage);
            var from = cmd.Parameters.Add(new SqliteParameter { ParameterName = "$from" });
            var fromSub = cmd.Parameters.Add(new SqliteParameter { ParameterName = "$sub" });
            var next = fromRevision > 0 ? fromRevision : ReadMeta(connection, null, "rev") + 1;
            var nextSub = 0L;
            var batch = new List<WatchEvent>(WatchPage);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long scanned;
                var lastSub = 0L;
                batch.Clear();
                try
                {
                    // Revision, compaction point and rows from one snapshot: a row can't be compacted between the check and the read.
                    using var tx = connection.BeginTransaction(deferred: true);
                    scanned = ReadMeta(connection, tx, "rev");
                    var compacted = ReadMeta(connection, tx, "compact");
                    if (next < compacted)
                    {
                        throw new DatastoreCompactedException(next, compacted);
                    }

                    cmd.Transaction = tx;
                    from.Value = next;
                    fromSub.Value = nextSub;
                    using (var r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            var value = r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2);
                            var prev = r.IsDBNull(4) ? null : r.GetFieldValue<byte[]>(4);
                            batch.Add(new WatchEvent(value is null ? WatchEventKind.Delete : WatchEventKind.Put, r.GetString(1), value, r.GetInt64(0), r.GetInt64(3), prev));
                            lastSub = r.GetInt64(5);
                        }
                    }

                    tx.Commit();
                }
                catch (SqliteException e)
                {
                    throw new DatastoreUnavailableException(Endpoint, e);
                }

                foreach (var e in batch)
                {
                    yield return e;
                }

                if (batch.Count == WatchPage)
                {
                    next = batch[^1].ModRevision;
                    nextSub = lastSub + 1;
                    continue;
                }

                // Everything up to the snapshot's revision has been seen, in this prefix or not.
                if (scanned + 1 > next)
                {
                    next = scanned + 1;
                    nextSub = 0;
                }
                await _notifier.WaitAsync(scanned, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        if (_compactor is not null)
        {
            await _compactor.DisposeAsync().ConfigureAwait(false);
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _notifier.DisposeAsync().ConfigureAwait(false);
        CloseIdleReaders();

        // Pooled connections would keep the file open after the store is closed.
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static KeyValue ReadKeyValue(string key, SqliteDataReader r, int first) =>
        new(key, r.GetFieldValue<byte[]>(first), r.GetInt64(first + 2), r.GetInt64(first + 1), r.GetInt64(first + 3), r.GetInt64(first + 4) is var l && l != 0 ? l : null);

    private static long ReadMeta(SqliteConnection connection, SqliteTransaction? tx, string name)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return (long)(cmd.ExecuteScalar() ?? 0L);
    }

    private void OpenOrThrow(SqliteConnection connection)
    {
        try
        {
            connection.Open();
        }
        catch (SqliteException e)
        {
            throw new DatastoreUnavailableException(Endpoint, e);
        }
    }

    private Task<T> Read<T>(Func<SqliteReader, T> read)
    {
        SqliteReader? reader = null;
        try
        {
            if (!_readers.TryTake(out reader))
            {
                reader = new SqliteReader(_connectionString);
            }

            var result = read(reader);
            Return(reader);
            return Task.FromResult(result);
        }
        catch (SqliteException e)
        {
            // A connection that failed is not reused: its state is unknown.
            reader?.Dispose();
            return Task.FromException<T>(new DatastoreUnavailableException(Endpoint, e));
        }
        catch (DatastoreException e)
        {
            Return(reader!);
            return Task.FromException<T>(e);
        }
        catch
        {
            reader?.Dispose();
            throw;
        }
    }

    private void Return(SqliteReader reader)
    {
        if (Volatile.Read(ref _disposed) == 1 || _readers.Count >= s_maxIdleReaders)
        {
            reader.Dispose();
            return;
        }

        _readers.Add(reader);
        if (Volatile.Read(ref _disposed) == 1)
        {
            // The store closed while this read ran: whatever DisposeAsync did not see is closed here.
            CloseIdleReaders();
        }
    }

    private void CloseIdleReaders()
    {
        while (_readers.TryTake(out var idle))
        {
            idle.Dispose();
        }
    }

    private void AutoCompact()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            var rev = ReadMeta(connection, null, "rev");
            var compacted = ReadMeta(connection, null, "compact");

            // Compact in steps of a tenth of the retention so the check is cheap and the delete stays short.
            if (rev - compacted > _options.RetainRevisions + (_options.RetainRevisions / 10))
            {
                _ = CompactAsync(rev - _options.RetainRevisions).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            // Retried on the next tick.
        }
    }

    private void SweepLeases()
    {
        // Every process sweeps; the delete re-checks expiry inside the write transaction, so racing sweepers are harmless.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT EXISTS(SELECT 1 FROM leases WHERE expires_ms <= $now)";
            cmd.Parameters.AddWithValue("$now", NowMs());
            if ((long)cmd.ExecuteScalar()! == 0)
            {
                Volatile.Write(ref _sweeping, 0);
                return;
            }

            _ = _writer.EnqueueAsync(ctx =>
            {
                var expired = new List<long>();
                using (var find = ctx.CreateCommand("SELECT id FROM leases WHERE expires_ms <= $now"))
                {
                    find.Parameters.AddWithValue("$now", NowMs());
                    using var r = find.ExecuteReader();
                    while (r.Read())
                    {
                        expired.Add(r.GetInt64(0));
                    }
                }

                foreach (var id in expired)
                {
                    // One revision per lease, as if each had been revoked on its own.
                    ctx.BeginOperation();
                    ctx.RevokeLease(id);
                }

                return expired.Count;
            }, CancellationToken.None).ContinueWith(
                t =>
                {
                    // Observed so a failed sweep (store closing) is not reported as unobserved; the next tick retries.
                    _ = t.Exception;
                    Volatile.Write(ref _sweeping, 0);
                },
                TaskScheduler.Default);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            // The next tick retries; a closed store stops sweeping when the timer is disposed.
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
