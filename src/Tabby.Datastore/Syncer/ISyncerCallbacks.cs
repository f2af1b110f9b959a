namespace Tabby.Datastore.Syncer;

/// <summary>Receives the syncer's output; calls never overlap, and updates to one key arrive in order.</summary>
public interface ISyncerCallbacks
{
    /// <summary>The sync status changed.</summary>
    void OnStatusUpdated(SyncStatus status);

    /// <summary>Keys changed; apply in list order.</summary>
    void OnUpdates(IReadOnlyList<SyncerUpdate> updates);
}
