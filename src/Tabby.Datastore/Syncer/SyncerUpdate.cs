namespace Tabby.Datastore.Syncer;

/// <summary>One key's new state: a value, or deleted when <see cref="Value"/> is null.</summary>
/// <param name="Prefix">The watched prefix the key belongs to.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value, or null when the key was deleted.</param>
/// <param name="Revision">The key's mod revision (for a delete, the revision of the delete or of the re-list that noticed it).</param>
public sealed record SyncerUpdate(string Prefix, string Key, byte[]? Value, long Revision)
{
    /// <summary>True when the key no longer exists.</summary>
    public bool IsDelete => Value is null;
}
