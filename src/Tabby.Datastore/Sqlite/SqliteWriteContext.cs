using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>The writer's view of one open batch transaction: prepared statements and the revision counter.</summary>
/// <remarks>
/// A batch holds many callers' operations. Each operation that writes gets the next revision, and
/// every write of that operation (a transaction's puts and deletes, a lease's deleted keys) shares it,
/// as in etcd: a list at any revision sees a transaction whole or not at all.
/// </remarks>
internal sealed class SqliteWriteContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _upsertFast;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _log;
    private readonly SqliteCommand _leaseExists;
    private readonly SqliteCommand _readRevision;
    private readonly SqliteCommand _writeRevision;
    private readonly SqliteCommand[] _commands;

    // True once the current operation has written and so owns Revision.
    private bool _operationWrote;

    public SqliteWriteContext(SqliteConnection connection)
    {
        _connection = connection;
        _get = Prepare("SELECT value, create_rev, mod_rev, version, lease FROM kv WHERE key = $k", "$k");
        _upsert = Prepare(
            """
            INSERT INTO kv(key, value, create_rev, mod_rev, version, lease) VALUES ($k, $v, $r, $r, 1, $l)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev,
                version = kv.version + 1, lease = excluded.lease
            RETURNING create_rev, version
            """,
            "$k", "$v", "$r", "$l");
        _upsertFast = Prepare(
            """
            INSERT INTO kv(key, value, create_rev, mod_rev, version, lease) VALUES ($k, $v, $r, $r, 1, $l)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev,
                version = kv.version + 1, lease = excluded.lease
            """,
            "$k", "$v", "$r", "$l");
        _delete = Prepare("DELETE FROM kv WHERE key = $k RETURNING value, create_rev, mod_rev, version, lease", "$k");
        _log = Prepare(
            """
            INSERT INTO log(rev, sub, key, value, create_rev, version, lease, prev)
            VALUES ($r, (SELECT IFNULL(MAX(sub), -1) + 1 FROM log WHERE rev = $r), $k, $v, $c, $n, $l, $p)
            """,
            "$r", "$k", "$v", "$c", "$n", "$l", "$p");
        _leaseExists = Prepare("SELECT 1 FROM leases WHERE id = $id", "$id");
        _readRevision = Prepare("SELECT value FROM meta WHERE name = 'rev'");
        _writeRevision = Prepare("UPDATE meta SET value = $r WHERE name = 'rev'", "$r");
        _commands = [_get, _upsert, _upsertFast, _delete, _log, _leaseExists, _readRevision, _writeRevision];
    }

    /// <summary>The last revision allocated (the store revision once the batch commits).</summary>
    public long Revision { get; private set; }

    public SqliteConnection Connection => _connection;

    public SqliteTransaction? Transaction { get; private set; }

    /// <summary>Starts a batch in <paramref name="transaction"/> (which holds the write lock); returns the store revision it starts from.</summary>
    public long Begin(SqliteTransaction transaction)
    {
        Transaction = transaction;
        foreach (var cmd in _commands)
        {
            cmd.Transaction = transaction;
        }

        Revision = (long)_readRevision.ExecuteScalar()!;
        _operationWrote = false;
        return Revision;
    }

    /// <summary>Records the revisions the batch allocated, if any, before the transaction commits.</summary>
    public void Finish(long startRevision)
    {
        if (Revision != startRevision)
        {
            _writeRevision.Parameters[0].Value = Revision;
            _writeRevision.ExecuteNonQuery();
        }
    }

    /// <summary>Starts one caller's operation: its first write takes a new revision, the rest share it.</summary>
    public void BeginOperation() => _operationWrote = false;

    public SqliteCommand CreateCommand(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = Transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    public KeyValue? Get(string key)
    {
        _get.Parameters[0].Value = key;
        using var r = _get.ExecuteReader();
        return r.Read() ? new KeyValue(key, r.GetFieldValue<byte[]>(0), r.GetInt64(2), r.GetInt64(1), r.GetInt64(3), LeaseOf(r.GetInt64(4))) : null;
    }

    public void RequireLease(long? leaseId)
    {
        if (leaseId is not { } id || id == 0)
        {
            return;
        }

        _leaseExists.Parameters[0].Value = id;
        if (_leaseExists.ExecuteScalar() is null)
        {
            throw DatastoreNotFoundException.ForLease(id);
        }
    }

    /// <summary>Writes a key and returns only its revision: one statement, the hot path of plain puts.</summary>
    public long PutRevisionOnly(string key, byte[] value, long? leaseId)
    {
        var rev = WriteRevision();
        _upsertFast.Parameters[0].Value = key;
        _upsertFast.Parameters[1].Value = value;
        _upsertFast.Parameters[2].Value = rev;
        _upsertFast.Parameters[3].Value = leaseId ?? 0;
        _upsertFast.ExecuteNonQuery();
        return rev;
    }

    /// <summary>Writes a key and returns its new state (the log row is written by the schema's trigger).</summary>
    public KeyValue Put(string key, byte[] value, long? leaseId)
    {
        var rev = WriteRevision();
        var lease = leaseId ?? 0;
        _upsert.Parameters[0].Value = key;
        _upsert.Parameters[1].Value = value;
        _upsert.Parameters[2].Value = rev;
        _upsert.Parameters[3].Value = lease;
        long create, version;
        using (var r = _upsert.ExecuteReader())
        {
            r.Read();
            create = r.GetInt64(0);
            version = r.GetInt64(1);
        }

        return new KeyValue(key, value, rev, create, version, LeaseOf(lease));
    }

    public KeyValue? Delete(string key)
    {
        _delete.Parameters[0].Value = key;
        KeyValue? old;
        using (var r = _delete.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }

            old = new KeyValue(key, r.GetFieldValue<byte[]>(0), r.GetInt64(2), r.GetInt64(1), r.GetInt64(3), LeaseOf(r.GetInt64(4)));
        }

        AppendLog(WriteRevision(), key, null, 0, 0, 0, old.Value);
        return old;
    }

    /// <summary>Deletes every key attached to a lease, then the lease.</summary>
    public void RevokeLease(long leaseId)
    {
        var keys = new List<string>();
        using (var cmd = CreateCommand("SELECT key FROM kv WHERE lease = $id AND lease <> 0"))
        {
            cmd.Parameters.AddWithValue("$id", leaseId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                keys.Add(r.GetString(0));
            }
        }

        foreach (var key in keys)
        {
            Delete(key);
        }

        using var del = CreateCommand("DELETE FROM leases WHERE id = $id");
        del.Parameters.AddWithValue("$id", leaseId);
        del.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var cmd in _commands)
        {
            cmd.Dispose();
        }
    }

    private long WriteRevision()
    {
        if (!_operationWrote)
        {
            Revision++;
            _operationWrote = true;
        }

        return Revision;
    }

    private static long? LeaseOf(long lease) => lease == 0 ? null : lease;

    private void AppendLog(long rev, string key, byte[]? value, long create, long version, long lease, byte[]? prev)
    {
        _log.Parameters[0].Value = rev;
        _log.Parameters[1].Value = key;
        _log.Parameters[2].Value = (object?)value ?? DBNull.Value;
        _log.Parameters[3].Value = create;
        _log.Parameters[4].Value = version;
        _log.Parameters[5].Value = lease;
        _log.Parameters[6].Value = (object?)prev ?? DBNull.Value;
        _log.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        }

        return cmd;
    }
}
