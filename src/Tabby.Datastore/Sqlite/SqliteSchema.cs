using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>The tables: current state (kv), the revision log (log), leases and counters (meta).</summary>
internal static class SqliteSchema
{
    // kv is WITHOUT ROWID so a key lookup is one B-tree descent. The log's rowid is the revision, so a
    // watch is a range scan on the primary key; log(key, rev) serves historical lists and compaction.
    // A log row with a NULL value is a delete; prev holds the deleted value so watchers get it cheaply.
    // Puts reach the log through triggers (every insert or update of kv is a put), which saves a
    // statement round trip per put on the hot path; deletes are logged by the writer itself.
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS kv(
            key TEXT PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS kv_lease ON kv(lease) WHERE lease <> 0;
        CREATE TABLE IF NOT EXISTS log(
            rev INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB, create_rev INTEGER NOT NULL,
            version INTEGER NOT NULL, lease INTEGER NOT NULL, prev BLOB);
        CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);
        CREATE TRIGGER IF NOT EXISTS kv_put_insert AFTER INSERT ON kv BEGIN
            INSERT INTO log(rev, key, value, create_rev, version, lease, prev)
            VALUES (NEW.mod_rev, NEW.key, NEW.value, NEW.create_rev, NEW.version, NEW.lease, NULL);
        END;
        CREATE TRIGGER IF NOT EXISTS kv_put_update AFTER UPDATE ON kv BEGIN
            INSERT INTO log(rev, key, value, create_rev, version, lease, prev)
            VALUES (NEW.mod_rev, NEW.key, NEW.value, NEW.create_rev, NEW.version, NEW.lease, NULL);
        END;
        CREATE TABLE IF NOT EXISTS leases(id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(name, value) VALUES ('rev', 0), ('compact', 0), ('schema', 1);
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
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = Ddl;
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}
