namespace Tabby.Datastore.Syncer;

/// <summary>Where the syncer is in getting its caches to match the datastore.</summary>
public enum SyncStatus
{
    /// <summary>Nothing listed yet.</summary>
    WaitingForDatastore,

    /// <summary>Some prefix is being (re-)listed; updates flow but the picture may be incomplete.</summary>
    ResyncInProgress,

    /// <summary>Every prefix has been listed and its watch is live: the consumer holds the whole state.</summary>
    InSync,
}
