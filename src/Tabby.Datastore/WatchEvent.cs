namespace Tabby.Datastore;

/// <summary>One change seen by a watch.</summary>
/// <param name="Kind">Put or delete.</param>
/// <param name="Key">The key that changed.</param>
/// <param name="Value">The new value for a put; null for a delete.</param>
/// <param name="ModRevision">The revision of this change.</param>
/// <param name="CreateRevision">The key's create revision for a put; 0 for a delete.</param>
/// <param name="PrevValue">The value before the change when the backend has it cheaply (both backends fill it for deletes).</param>
public sealed record WatchEvent(WatchEventKind Kind, string Key, byte[]? Value, long ModRevision, long CreateRevision, byte[]? PrevValue);
