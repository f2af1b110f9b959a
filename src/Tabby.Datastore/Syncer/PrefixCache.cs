namespace Tabby.Datastore.Syncer;

/// <summary>What the syncer has told its consumer about one prefix.</summary>
internal sealed class PrefixCache(string prefix)
{
    public string Prefix { get; } = prefix;

    public Dictionary<string, KeyValue> Cache { get; } = new(StringComparer.Ordinal);

    /// <summary>True once listed and watching; false while re-listing after a failure.</summary>
    public bool Synced { get; set; }
}
