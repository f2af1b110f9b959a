using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class MatchSetTests
{
    [Fact]
    public void Behaves_as_a_set_below_and_above_the_array_limit()
    {
        var entries = Enumerable.Range(0, 100).Select(i => new SelectorEntry("s" + i, Selector.Parse($"a == '{i}'"))).ToList();
        var set = new MatchSet();
        var model = new HashSet<SelectorEntry>();
        var random = new Random(7);
        for (var step = 0; step < 5000; step++)
        {
            var s = entries[random.Next(entries.Count)];
            // Grow towards the hash-set form, then shrink back through it.
            if (random.Next(100) < (step < 2500 ? 70 : 30))
                Assert.Equal(model.Add(s), set.Add(s));
            else
                Assert.Equal(model.Remove(s), set.Remove(s));
            Assert.Equal(model.Count, set.Count);
            Assert.Equal(model.Contains(entries[step % entries.Count]), set.Contains(entries[step % entries.Count]));
        }
        Assert.Equal(model.OrderBy(s => s.Id), set.ToArray().OrderBy(s => s.Id));
        set.Clear();
        Assert.Equal(0, set.Count);
        Assert.Empty(set.ToArray());
    }
}
