using Tabby.Datastore;
using Tabby.Datastore.Etcd;
using Tabby.Datastore.Sqlite;

namespace Tabby.Cni.Store;

/// <summary>Opens the configured datastore for one short plugin run.</summary>
public static class DatastoreOpener
{
    /// <summary>Opens <paramref name="connection"/>; never creates a SQLite file (the agent or an admin does).</summary>
    /// <param name="quick">STATUS: give up on an unreachable etcd within a few seconds instead of the usual ten.</param>
    public static IDatastore Open(string connection, bool quick = false) =>
        DatastoreConnectionString.Open(
            connection,
            new EtcdOptions
            {
                CallTimeout = quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10),
                ConnectTimeout = quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(3),
                // A plugin reads single keys and small lists; a modest limit keeps its memory small.
                MaxReceiveBytes = 64 * 1024 * 1024,
            },
            new SqliteDatastoreOptions { CreateIfMissing = false });
}
