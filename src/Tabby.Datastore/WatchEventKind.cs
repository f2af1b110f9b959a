namespace Tabby.Datastore;

/// <summary>What happened to a key.</summary>
public enum WatchEventKind
{
    /// <summary>The key was created or updated.</summary>
    Put,

    /// <summary>The key was deleted (explicitly or by its lease expiring).</summary>
    Delete,
}
