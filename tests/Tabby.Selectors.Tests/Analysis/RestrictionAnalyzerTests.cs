namespace Tabby.Selectors.Tests.Analysis;

public class RestrictionAnalyzerTests
{
    private static string Describe(string selector) =>
        string.Join("; ", Selector.Parse(selector).LabelRestrictions
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}: {kv.Value}"));

    [Theory]
    [InlineData("a == 'x'", "a: one of {x}")]
    [InlineData("a in {'y', 'x'}", "a: one of {x, y}")]
    [InlineData("a in {}", "a: one of {}")]
    [InlineData("has(a)", "a: present")]
    [InlineData("!has(a)", "a: absent")]
    [InlineData("a contains 'x'", "a: present")]
    [InlineData("a starts with 'x'", "a: present")]
    [InlineData("a ends with 'x'", "a: present")]
    [InlineData("a != 'x'", "")]
    [InlineData("a not in {'x', 'y'}", "")]
    [InlineData("all()", "")]
    // global() restricts nothing, as in Calico's analysis.
    [InlineData("global()", "")]
    [InlineData("!global()", "")]
    // Negation is pushed down, so these are understood too.
    [InlineData("!a != 'x'", "a: one of {x}")]
    [InlineData("!a not in {'x', 'y'}", "a: one of {x, y}")]
    [InlineData("!(has(a) || has(b))", "a: absent; b: absent")]
    [InlineData("!(a != 'x' || !has(b))", "a: one of {x}; b: present")]
    [InlineData("!a == 'x'", "")]
    // && adds restrictions, || keeps only the shared ones.
    [InlineData("a == 'x' && has(b) && !has(c)", "a: one of {x}; b: present; c: absent")]
    [InlineData("a in {'x', 'y'} && a in {'y', 'z'}", "a: one of {y}")]
    [InlineData("a == 'x' && a == 'y'", "a: one of {}")]
    [InlineData("has(a) && !has(a)", "a: impossible")]
    [InlineData("has(a) && a == 'x'", "a: one of {x}")]
    [InlineData("a == 'x' || a == 'y'", "a: one of {x, y}")]
    [InlineData("a == 'x' || has(a)", "a: present")]
    [InlineData("a == 'x' || b == 'y'", "")]
    [InlineData("!has(a) || !has(a) && has(b)", "a: absent")]
    [InlineData("a == 'x' && (b == 'y' || b == 'z' && has(c))", "a: one of {x}; b: one of {y, z}")]
    public void Restrictions(string selector, string expected) =>
        Assert.Equal(expected, Describe(selector));

    [Fact]
    public void Restrictions_are_necessary_conditions()
    {
        // Every label set the selector matches satisfies every restriction (checked exhaustively on a small universe).
        string[] selectors =
        [
            "a == 'x' && (b == 'y' || b == 'z' && has(c))", "!(a != 'x' || !has(b))", "a in {'x', 'y'} || !has(a) && a == 'x'",
            "!(has(a) || b == 'x') && c not in {'x'}", "!(a == 'x' && b == 'y')", "global() || a == 'y'",
        ];
        string?[] values = [null, "x", "y", "z"];
        foreach (var text in selectors)
        {
            var selector = Selector.Parse(text);
            foreach (var a in values)
            foreach (var b in values)
            foreach (var c in values)
            {
                var labels = new Dictionary<string, string>();
                if (a is not null)
                    labels["a"] = a;
                if (b is not null)
                    labels["b"] = b;
                if (c is not null)
                    labels["c"] = c;
                if (!selector.Matches(labels))
                    continue;
                foreach (var (key, r) in selector.LabelRestrictions)
                {
                    var present = labels.TryGetValue(key, out var value);
                    Assert.False(r.MustBePresent && !present, $"{text}: {key} must be present");
                    Assert.False(r.MustBeAbsent && present, $"{text}: {key} must be absent");
                    Assert.True(r.AllowedValues is null || (present && r.AllowedValues.Contains(value!)), $"{text}: {key} value");
                }
            }
        }
    }
}
