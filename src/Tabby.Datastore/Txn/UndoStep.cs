namespace Tabby.Datastore;

/// <summary>Puts one key of a failed batch back as it was planned against, unless someone else changed it since.</summary>
/// <param name="Key">The key.</param>
/// <param name="Guard">Holds while the key still shows this batch's write.</param>
/// <param name="Restore">Puts the planned-against value back, or deletes a key that was absent.</param>
/// <param name="Target">The planned-against state (null: absent); a key already in it needs nothing.</param>
/// <param name="Certain">Whether the write is known to have committed (false: its transaction's outcome is unknown).</param>
internal sealed record UndoStep(string Key, Compare Guard, TxnOp Restore, KeyValue? Target, bool Certain)
{
    /// <summary>Whether <paramref name="current"/> already is the planned-against state.</summary>
    public bool IsRestored(KeyValue? current) =>
        Target is null ? current is null : current is not null && current.Value.AsSpan().SequenceEqual(Target.Value);
}
