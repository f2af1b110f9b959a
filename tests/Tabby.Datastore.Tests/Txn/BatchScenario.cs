using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Txn;

/// <summary>A batch of creates, updates and deletes under one prefix, planned against what the store holds, as the CLI plans one.</summary>
internal sealed class BatchScenario(IDatastore store, string prefix)
{
    public string Key(string name) => prefix + name;

    /// <summary>Writes the keys that the batch will update and delete.</summary>
    public async Task SeedAsync(IEnumerable<string> names, string value)
    {
        foreach (var name in names)
        {
            await store.PutAsync(Key(name), B(value));
        }
    }

    /// <summary>Reads each key and makes a write guarded by what it read.</summary>
    public async Task<List<GuardedWrite>> PlanAsync(IEnumerable<string> puts, IEnumerable<string> deletes, string value = "new")
    {
        var writes = new List<GuardedWrite>();
        foreach (var name in puts)
        {
            writes.Add(new GuardedWrite(TxnOp.Put(Key(name), B(value)), await store.GetAsync(Key(name))));
        }

        foreach (var name in deletes)
        {
            writes.Add(new GuardedWrite(TxnOp.Delete(Key(name)), await store.GetAsync(Key(name))));
        }

        return writes;
    }

    /// <summary>Every key under the prefix with its value, for before/after comparisons.</summary>
    public async Task<Dictionary<string, string>> SnapshotAsync() =>
        (await store.ListAllAsync(prefix)).Items.ToDictionary(k => k.Key, k => S(k.Value), StringComparer.Ordinal);

    public static IEnumerable<string> Names(string stem, int count) => Enumerable.Range(0, count).Select(i => $"{stem}{i:D3}");
}
