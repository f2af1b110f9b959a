using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class EndpointSetTests
{
    private static EndpointEntry Endpoint(string id) => new(id, new LabelMap(0));

    [Fact]
    public void Behaves_as_a_set_keyed_by_reference_and_findable_by_id_through_growth_and_shrinking()
    {
        var endpoints = Enumerable.Range(0, 600).Select(i => Endpoint("ep" + i)).ToList();
        var set = new EndpointSet();
        var model = new HashSet<EndpointEntry>();
        var random = new Random(3);
        for (var step = 0; step < 20_000; step++)
        {
            var e = endpoints[random.Next(endpoints.Count)];
            // Grow to hundreds of members, then shrink back through the resizes.
            if (random.Next(100) < (step < 10_000 ? 70 : 25))
                Assert.Equal(model.Add(e), set.Add(e));
            else
                Assert.Equal(model.Remove(e), set.Remove(e));
            Assert.Equal(model.Count, set.Count);
            var probe = endpoints[step % endpoints.Count];
            Assert.Equal(model.Contains(probe), set.Contains(probe));
            // By ID, with an equal string that is not the stored instance.
            Assert.Same(model.Contains(probe) ? probe : null, set.Find(new string(probe.Id.AsSpan())));
        }
        var enumerated = new List<EndpointEntry>();
        foreach (var e in set)
            enumerated.Add(e);
        Assert.Equal(model.OrderBy(e => e.Id, StringComparer.Ordinal), enumerated.OrderBy(e => e.Id, StringComparer.Ordinal));
        Assert.Null(set.Find("nobody"));
    }

    [Fact]
    public void Removal_keeps_colliding_members_reachable()
    {
        // Many members in a small table: long runs, so backward-shift deletion is exercised.
        var set = new EndpointSet();
        var endpoints = Enumerable.Range(0, 64).Select(i => Endpoint("e" + i)).ToList();
        foreach (var e in endpoints)
            set.Add(e);
        for (var i = 0; i < endpoints.Count; i += 2)
            Assert.True(set.Remove(endpoints[i]));
        for (var i = 0; i < endpoints.Count; i++)
        {
            Assert.Equal(i % 2 == 1, set.Contains(endpoints[i]));
            Assert.Equal(i % 2 == 1 ? endpoints[i] : null, set.Find("e" + i));
        }
        Assert.False(set.Add(endpoints[1]));
        Assert.Equal(32, set.Count);
    }
}
