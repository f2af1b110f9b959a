namespace Tabby.Datastore;

/// <summary>One operation in a branch of a transaction.</summary>
/// <param name="Kind">Put, delete or get.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The value to put.</param>
/// <param name="LeaseId">The lease to attach a put to.</param>
public sealed record TxnOp(TxnOpKind Kind, string Key, byte[]? Value = null, long? LeaseId = null)
{
    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>.</summary>
    public static TxnOp Put(string key, byte[] value, long? leaseId = null) => new(TxnOpKind.Put, key, value, leaseId);

    /// <summary>Deletes <paramref name="key"/> (a no-op when absent).</summary>
    public static TxnOp Delete(string key) => new(TxnOpKind.Delete, key);

    /// <summary>Reads <paramref name="key"/>.</summary>
    public static TxnOp Get(string key) => new(TxnOpKind.Get, key);
}
