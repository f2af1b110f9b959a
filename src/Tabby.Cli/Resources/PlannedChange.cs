using Tabby.Api.Kinds;
using Tabby.Datastore;

namespace Tabby.Cli.Resources;

/// <summary>One change a command will make, guarded by the state it was planned against.</summary>
/// <param name="Key">The resource.</param>
/// <param name="Verb">What to print once done: created, configured, replaced, deleted, unchanged.</param>
/// <param name="ExpectedModRevision">The key's mod revision when planned (0: it was absent).</param>
/// <param name="Op">The write, or null when nothing needs writing.</param>
/// <param name="Source">The manifest it came from, for messages; null when named on the command line.</param>
public sealed record PlannedChange(ResourceKey Key, string Verb, long ExpectedModRevision, TxnOp? Op, string? Source)
{
    public Compare Guard => ExpectedModRevision == 0 ? Compare.Missing(Key.Path) : Compare.ModRevisionIs(Key.Path, ExpectedModRevision);

    public bool StillHolds(KeyValue? current) => (current?.ModRevision ?? 0) == ExpectedModRevision;

    public string Prefix => Source is null ? "" : Source + ": ";
}
