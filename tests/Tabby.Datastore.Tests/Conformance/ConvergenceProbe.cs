using Tabby.Datastore.Syncer;
using static Tabby.Datastore.Tests.Conformance.TestUtil;

namespace Tabby.Datastore.Tests.Conformance;

/// <summary>Checks that a syncer's consumer and caches equal the store: no lost keys, no phantoms.</summary>
internal static class ConvergenceProbe
{
    /// <summary>Waits until the consumer's view and the syncer's caches equal the store, key for key.</summary>
    public static async Task AssertConvergedAsync(IDatastore store, DatastoreSyncer syncer, RecordingConsumer consumer, IReadOnlyList<string> prefixes)
    {
        string Describe(IEnumerable<KeyValuePair<string, string>> kvs) => string.Join(",", kvs.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value));
        string? lastDiff = null;
        try
        {
            await WaitUntilAsync(
            async () =>
            {
                foreach (var prefix in prefixes)
                {
                    var truth = Describe((await store.ListAllAsync(prefix)).Items.Select(k => KeyValuePair.Create(k.Key, S(k.Value))));
                    var view = Describe(consumer.View(prefix));
                    var cache = Describe(syncer.Snapshot(prefix).Select(k => KeyValuePair.Create(k.Key, S(k.Value.Value))));
                    if (truth != view || truth != cache)
                    {
                        lastDiff = $"store {truth}\nconsumer {view}\ncache {cache}";
                        return false;
                    }
                }

                return syncer.Status == SyncStatus.InSync;
            },
            TimeSpan.FromSeconds(20),
            "syncer convergence");
        }
        catch (Xunit.Sdk.XunitException)
        {
            Assert.Fail($"syncer did not converge (status {syncer.Status}):\n{lastDiff}");
        }

        Assert.Null(consumer.Error);
    }
}
