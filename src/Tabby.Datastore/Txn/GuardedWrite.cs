namespace Tabby.Datastore;

/// <summary>One write of a batch, with the state of its key it was planned against.</summary>
/// <param name="Op">A put or a delete.</param>
/// <param name="Expected">The key as read when planning (null: absent). The write happens only if the key is still
/// at that revision, and undoing it puts exactly this back.</param>
public sealed record GuardedWrite(TxnOp Op, KeyValue? Expected)
{
    public string Key => Op.Key;

    /// <summary>Holds while the key is still as planned: absent, or at the expected mod revision.</summary>
    public Compare Guard => Expected is null ? Compare.Missing(Op.Key) : Compare.ModRevisionIs(Op.Key, Expected.ModRevision);
}
