using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class LabelMapTests
{
    [Fact]
    public void Behaves_as_a_dictionary_below_and_above_the_linear_limit()
    {
        var map = new LabelMap(2);
        var model = new Dictionary<string, string>(StringComparer.Ordinal);
        var random = new Random(11);
        for (var step = 0; step < 5000; step++)
        {
            // Fresh instances, so lookups must not depend on the caller's keys being interned.
            var key = new string('k', 1) + random.Next(LabelMap.LinearLimit + 8);
            if (random.Next(100) < (step < 2500 ? 70 : 30))
            {
                var value = "v" + random.Next(3);
                map.Set(key, value);
                model[key] = value;
            }
            else
                Assert.Equal(model.Remove(key), map.Remove(key));
            Assert.Equal(model.Count, map.Count);
            var probe = "k" + (step % (LabelMap.LinearLimit + 8));
            Assert.Equal(model.TryGetValue(probe, out var expected), map.TryGetValue(probe, out var actual));
            Assert.Equal(expected, actual);
            Assert.Equal(model.ContainsKey(probe), map.ContainsKey(probe));
        }
        Assert.Equal(model.OrderBy(kv => kv.Key), map.OrderBy(kv => kv.Key));
        var enumerated = new List<KeyValuePair<string, string>>();
        foreach (var kv in map)
            enumerated.Add(kv);
        Assert.Equal(model.OrderBy(kv => kv.Key), enumerated.OrderBy(kv => kv.Key));
        Assert.Equal(model.Keys.Order(), map.Keys.Order());
    }

    [Fact]
    public void Small_map_enumerates_and_indexes_like_a_dictionary()
    {
        var map = new LabelMap(0);
        map.Set("a", "1");
        map.Set("b", "2");
        map.Set("a", "3");
        Assert.True(map.Remove("b"));
        Assert.False(map.Remove("b"));
        Assert.Equal("3", map["a"]);
        Assert.Throws<KeyNotFoundException>(() => map["b"]);
        Assert.Equal([new KeyValuePair<string, string>("a", "3")], map.ToList());
        Assert.Equal(["3"], map.Values);
        Assert.True(Selector.Parse("a == '3' && !has(b)").Matches(map));
    }

    [Fact]
    public void Finds_tracked_slots_by_the_keys_name_instance_below_and_above_the_linear_limit()
    {
        var catalog = new LabelCatalog();
        var map = new LabelMap(1);
        var keys = Enumerable.Range(0, LabelMap.LinearLimit + 6).Select(i => catalog.Track("k" + i, out _)).ToList();
        foreach (var key in keys)
            map.Add(key.Name, "v", key.Intern("v"));
        foreach (var key in keys)
            Assert.Same(key.Find("v"), map.InfoOf(key));
        // Removing moves the last slot into the hole; lookups must follow it.
        map.RemoveAt(map.IndexOf("k0"));
        Assert.Null(map.InfoOf(keys[0]));
        Assert.Same(keys[^1].Find("v"), map.InfoOf(keys[^1]));
        var i = map.IndexOf("k3");
        map.SetAt(i, keys[3].Name, "w", keys[3].Intern("w"));
        Assert.Equal("w", map["k3"]);
        Assert.Same(keys[3].Find("w"), map.InfoOf(keys[3]));
        Assert.Equal(keys.Count - 1, map.Count);
        Assert.Null(map.InfoOf(catalog.Track("other", out _)));
    }
}
