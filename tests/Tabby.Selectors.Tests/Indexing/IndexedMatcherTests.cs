using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class IndexedMatcherTests
{
    private static readonly string[] s_keys = ["a", "b", "c", Selector.NamespaceLabel];
    private static readonly string[] s_values = ["x", "y", "z", "xy", "w", "v1", "v2", "v3", "v4", "v5", "v6"];

    [Theory]
    [InlineData("a in {'x', 'y', 'z', 'xy', 'w', 'v1', 'v2', 'v3', 'v4'}", "a=v4", true)]
    [InlineData("a not in {'x', 'y', 'z', 'xy', 'w', 'v1', 'v2', 'v3', 'v4'}", "a=v5", true)]
    [InlineData("a in {'x', 'y'}", "", false)]
    [InlineData("a not in {'x', 'y'}", "", true)]
    [InlineData("a in {}", "a=x", false)]
    [InlineData("!(a in {})", "a=x", true)]
    [InlineData("a not in {}", "", true)]
    [InlineData("!(a == 'x' || b == 'y')", "a=z,b=z", true)]
    [InlineData("!(a == 'x' && has(b))", "a=x,b=y", false)]
    [InlineData("global()", "a=x", true)]
    [InlineData("!global()", "projectcalico.org/namespace=n", true)]
    [InlineData("a contains 'y' && b starts with 'v' && c ends with 'x'", "a=xy,b=v1,c=x", true)]
    [InlineData("!(a contains 'y')", "", true)]
    [InlineData("all()", "", true)]
    [InlineData("!all()", "", false)]
    public void Agrees_with_the_evaluator_on_edge_cases(string text, string labels, bool expected)
    {
        var pairs = labels.Length == 0 ? [] : labels.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var selector = Selector.Parse(text);
        Assert.Equal(expected, selector.Matches(pairs));
        Assert.Equal(expected, Evaluate(selector, pairs));
    }

    [Fact]
    public void Agrees_with_the_evaluator_on_random_selectors_and_labels()
    {
        var random = new Random(17);
        for (var i = 0; i < 3000; i++)
        {
            var selector = Selector.Parse(RandomSelector(random, 3));
            for (var j = 0; j < 8; j++)
            {
                var labels = new Dictionary<string, string>();
                foreach (var key in s_keys)
                {
                    if (random.Next(3) > 0)
                        labels[key] = s_values[random.Next(s_values.Length)];
                }
                Assert.True(selector.Matches(labels) == Evaluate(selector, labels), $"{selector} on {string.Join(",", labels)}");
            }
        }
    }

    [Fact]
    public void The_header_step_carries_the_selector_ID()
    {
        var catalog = new LabelCatalog();
        var s = new SelectorEntry("sel-1", Selector.Parse("a == 'x'"));
        catalog.Track("a", out _);
        catalog.Acquire(s.Uses);
        Assert.Same(s.Id, IndexedMatcher.IdOf(IndexedMatcher.Compile(s.Selector.Root, catalog, s.Id)));
    }

    // What the index does: track the keys read, intern the literals, point the endpoint's slots at the catalog's objects.
    private static bool Evaluate(Selector selector, Dictionary<string, string> labels)
    {
        var catalog = new LabelCatalog();
        var s = new SelectorEntry("s", selector);
        foreach (var use in s.Uses)
            catalog.Track(use.Key, out _);
        catalog.Acquire(s.Uses);
        var map = new LabelMap(labels.Count);
        foreach (var (key, value) in labels)
        {
            var k = catalog.Find(key);
            map.Add(k?.Name ?? key, value, k?.Intern(value));
        }
        return IndexedMatcher.Matches(IndexedMatcher.Compile(selector.Root, catalog, s.Id), map);
    }

    private static string RandomSelector(Random random, int depth)
    {
        var key = s_keys[random.Next(s_keys.Length)];
        string Value() => "'" + s_values[random.Next(s_values.Length)] + "'";
        string Set() => string.Join(", ", Enumerable.Range(0, random.Next(12)).Select(_ => Value()));
        return random.Next(depth > 0 ? 16 : 11) switch
        {
            0 => $"{key} == {Value()}",
            1 => $"{key} != {Value()}",
            2 => $"{key} in {{{Set()}}}",
            3 => $"{key} not in {{{Set()}}}",
            4 => $"has({key})",
            5 => $"!has({key})",
            6 => random.Next(2) == 0 ? "all()" : "global()",
            7 => $"{key} contains 'y'",
            8 => $"{key} starts with 'v'",
            9 => $"{key} ends with '1'",
            10 => $"!({key} == {Value()})",
            11 or 12 => $"{RandomSelector(random, depth - 1)} && {RandomSelector(random, depth - 1)} && {RandomSelector(random, depth - 1)}",
            13 or 14 => $"({RandomSelector(random, depth - 1)} || {RandomSelector(random, depth - 1)})",
            _ => $"!({RandomSelector(random, depth - 1)} && ({RandomSelector(random, depth - 1)} || {RandomSelector(random, depth - 1)}))",
        };
    }
}
