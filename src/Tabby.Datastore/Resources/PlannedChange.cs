using Tabby.Api.Kinds;

namespace Tabby.Datastore.Resources;

/// <summary>One change a command will make, guarded by the state it was planned against.</summary>
/// <param name="Key">The resource.</param>
/// <param name="Verb">What to print once done: created, configured, replaced, deleted, unchanged.</param>
/// <param name="Current">The key as read when planned (null: it was absent); the write needs it unchanged, and undoing the write restores it.</param>
/// <param name="Op">The write, or null when nothing needs writing.</param>
/// <param name="Source">The manifest it came from, for messages; null when named on the command line.</param>
public sealed record PlannedChange(ResourceKey Key, string Verb, KeyValue? Current, TxnOp? Op, string? Source)
{
    /// <summary>The write for <see cref="AtomicBatch"/>, or null when there is nothing to write.</summary>
    public GuardedWrite? Write => Op is null ? null : new GuardedWrite(Op, Current);

    public string Prefix => Source is null ? "" : Source + ": ";
}
