namespace Tabby.Lab.Cluster;

/// <summary>Which datastore a lab runs on.</summary>
public enum ClusterDatastore
{
    /// <summary>The embedded one: a SQLite file in the lab's work directory, shared by every agent.</summary>
    Sqlite,

    /// <summary>A private etcd on 127.0.0.1, started and stopped by the lab.</summary>
    Etcd,
}
