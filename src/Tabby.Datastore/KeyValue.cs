namespace Tabby.Datastore;

/// <summary>One stored key with its value and the revisions that describe its history.</summary>
/// <param name="Key">The full key, e.g. <c>/calico/resources/v3/projectcalico.org/ippools/default</c>.</param>
/// <param name="Value">The stored bytes (UTF-8 JSON by convention).</param>
/// <param name="ModRevision">The store revision of the last change to this key.</param>
/// <param name="CreateRevision">The store revision at which this incarnation of the key was created.</param>
/// <param name="Version">How many times the key was written since it was created (1 after the first put).</param>
/// <param name="LeaseId">The lease the key is attached to, or null.</param>
public sealed record KeyValue(string Key, byte[] Value, long ModRevision, long CreateRevision, long Version, long? LeaseId);
