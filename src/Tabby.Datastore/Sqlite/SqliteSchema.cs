using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>The tables: current state (kv), the revision log (log), leases and counters (meta).</summary>
internal static class SqliteSchema
{
    /// <summary>The layout this code writes; older files are migrated on open.</summary>
    private const long CurrentVersion = 2;

    // kv is WITHOUT ROWID so a key lookup is one B-tree descent. The log holds one row per change,
    // keyed by (rev, sub): every write of one transaction shares its revision, as in etcd, and sub keeps
    // the transaction's own order, so a watch is a range scan on (rev, sub) that can page in the middle
    // of a large transaction. log(key, rev) serves historical lists and compaction; a key changes at most
    // once per revision (transactions refuse duplicate keys), so that pair is unique.
    // A log row with a NULL value is a delete; prev holds the deleted value so watchers get it cheaply.
    // Puts reach the log through triggers (every insert or update of kv is a put), which saves a
    // statement per put on the hot path; deletes are logged by the writer itself.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS kv(
            key TEXT PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS kv_lease ON kv(lease) WHERE lease <> 0;
        CREATE TABLE IF NOT EXISTS leases(id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(name, value) VALUES ('rev', 0), ('compact', 0);
        """;

    private const string Log = """
        CREATE TABLE IF NOT EXISTS log(
            rev INTEGER NOT NULL, sub INTEGER NOT NULL, key TEXT NOT NULL, value BLOB, create_rev INTEGER NOT NULL,
            version INTEGER NOT NULL, lease INTEGER NOT NULL, prev BLOB, PRIMARY KEY(rev, sub));
        CREATE UNIQUE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);
        CREATE TRIGGER IF NOT EXISTS kv_put_insert AFTER INSERT ON kv BEGIN
            INSERT INTO log(rev, sub, key, value, create_rev, version, lease, prev)
            VALUES (NEW.mod_rev, (SELECT IFNULL(MAX(sub), -1) + 1 FROM log WHERE rev = NEW.mod_rev),
                    NEW.key, NEW.value, NEW.create_rev, NEW.version, NEW.lease, NULL);
        END;
        CREATE TRIGGER IF NOT EXISTS kv_put_update AFTER UPDATE ON kv BEGIN
            INSERT INTO log(rev, sub, key, value, create_rev, version, lease, prev)
            VALUES (NEW.mod_rev, (SELECT IFNULL(MAX(sub), -1) + 1 FROM log WHERE rev = NEW.mod_rev),
                    NEW.key, NEW.value, NEW.create_rev, NEW.version, NEW.lease, NULL);
        END;
        """;

    // Version 1 numbered every write of a transaction separately (rev was the log's rowid). Its history
    // is kept as it is: one row per revision, sub 0.
    private const string MigrateFrom1 = """
        DROP TRIGGER IF EXISTS kv_put_insert;
        DROP TRIGGER IF EXISTS kv_put_update;
        DROP INDEX IF EXISTS log_key_rev;
        ALTER TABLE log RENAME TO log_v1;
        """;

    private const string CopyFrom1 = """
        INSERT INTO log(rev, sub, key, value, create_rev, version, lease, prev)
            SELECT rev, 0, key, value, create_rev, version, lease, prev FROM log_v1;
        DROP TABLE log_v1;
        """;

    public static void Create(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL lets readers (watchers, lists, other processes) run while the single writer commits.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction(deferred: false);
        Execute(connection, tx, Tables);
        var version = ReadVersion(connection, tx);
        if (version == CurrentVersion)
        {
            tx.Commit();
            return;
        }

        var migrating = version == 1;
        if (migrating)
        {
            Execute(connection, tx, MigrateFrom1);
        }
        else if (version != 0)
        {
            throw new DatastoreException($"the database has schema version {version}, newer than this Tabby understands ({CurrentVersion})");
        }

        Execute(connection, tx, Log);
        if (migrating)
        {
            Execute(connection, tx, CopyFrom1);
        }

        Execute(connection, tx, $"INSERT INTO meta(name, value) VALUES ('schema', {CurrentVersion}) ON CONFLICT(name) DO UPDATE SET value = excluded.value;");
        tx.Commit();
    }

    private static long ReadVersion(SqliteConnection connection, SqliteTransaction tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE name = 'schema'";
        if (cmd.ExecuteScalar() is long version)
        {
            return version;
        }

        // No version row: a new file, or one from before versions were recorded (which had the v1 log).
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'log'";
        return (long)cmd.ExecuteScalar()! == 0 ? 0 : 1;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
