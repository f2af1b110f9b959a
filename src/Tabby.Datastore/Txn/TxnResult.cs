namespace Tabby.Datastore;

/// <summary>The outcome of a transaction.</summary>
/// <param name="Succeeded">True when the guards held and the then branch ran.</param>
/// <param name="Revision">The store revision after the transaction (its last write's revision when it wrote).</param>
/// <param name="Results">One entry per operation of the branch that ran: for a get the key's state, for a put the
/// written state, for a delete the deleted state; null when the key was absent.</param>
public sealed record TxnResult(bool Succeeded, long Revision, IReadOnlyList<KeyValue?> Results);
