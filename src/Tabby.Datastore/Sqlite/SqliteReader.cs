using Microsoft.Data.Sqlite;

namespace Tabby.Datastore.Sqlite;

/// <summary>An open read connection with the hot statements (a key's get, the revision) prepared once.</summary>
/// <remarks>
/// Reads are rented from and returned to the store's small set of these, so a get costs one statement step instead of
/// a pooled open, a statement compile and its teardown. Outside a statement the connection holds no read transaction
/// (autocommit), so it sees every commit, from this process or another, and never holds up a checkpoint.
/// </remarks>
internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _meta;

    public SqliteReader(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        try
        {
            Connection.Open();
        }
        catch
        {
            Connection.Dispose();
            throw;
        }

        _get = Connection.CreateCommand();
        _get.CommandText = "SELECT value, create_rev, mod_rev, version, lease FROM kv WHERE key = $k";
        _get.Parameters.Add(new SqliteParameter { ParameterName = "$k" });
        _meta = Connection.CreateCommand();
        _meta.CommandText = "SELECT value FROM meta WHERE name = $n";
        _meta.Parameters.Add(new SqliteParameter { ParameterName = "$n" });
    }

    public SqliteConnection Connection { get; }

    public KeyValue? Get(string key)
    {
        _get.Parameters[0].Value = key;
        using var r = _get.ExecuteReader();
        return r.Read()
            ? new KeyValue(key, r.GetFieldValue<byte[]>(0), r.GetInt64(2), r.GetInt64(1), r.GetInt64(3), r.GetInt64(4) is var l && l != 0 ? l : null)
            : null;
    }

    /// <summary>A counter of the meta table (<c>rev</c>, <c>compact</c>), outside any transaction.</summary>
    public long Meta(string name)
    {
        _meta.Parameters[0].Value = name;
        return (long)(_meta.ExecuteScalar() ?? 0L);
    }

    public void Dispose()
    {
        _get.Dispose();
        _meta.Dispose();
        Connection.Dispose();
    }
}
