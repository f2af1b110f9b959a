namespace Tabby.Selectors.Tests;

public class SelectorTests
{
    private static Dictionary<string, string> Labels(string spec)
    {
        // "a=x,b=y" ; "" is no labels.
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            labels[parts[0]] = parts[1];
        }
        return labels;
    }

    [Theory]
    // ==: absent label never equals.
    [InlineData("a == 'x'", "a=x", true)]
    [InlineData("a == 'x'", "a=y", false)]
    [InlineData("a == 'x'", "", false)]
    [InlineData("a == ''", "a=", true)]
    [InlineData("a == ''", "", false)]
    // !=: absent label matches.
    [InlineData("a != 'x'", "a=x", false)]
    [InlineData("a != 'x'", "a=y", true)]
    [InlineData("a != 'x'", "", true)]
    [InlineData("a != 'x'", "b=x", true)]
    // in / not in, with not in matching an absent label.
    [InlineData("a in {'x', 'y'}", "a=x", true)]
    [InlineData("a in {'x', 'y'}", "a=y", true)]
    [InlineData("a in {'x', 'y'}", "a=z", false)]
    [InlineData("a in {'x', 'y'}", "", false)]
    [InlineData("a in {}", "a=x", false)]
    [InlineData("a not in {'x', 'y'}", "a=x", false)]
    [InlineData("a not in {'x', 'y'}", "a=z", true)]
    [InlineData("a not in {'x', 'y'}", "", true)]
    [InlineData("a not in {}", "", true)]
    [InlineData("a in {'1','2','3','4','5','6','7','8'}", "a=7", true)]
    [InlineData("a in {'1','2','3','4','5','6','7','8'}", "a=9", false)]
    [InlineData("a not in {'1','2','3','4','5','6','7','8'}", "a=7", false)]
    [InlineData("a not in {'1','2','3','4','5','6','7','8'}", "", true)]
    // has
    [InlineData("has(a)", "a=", true)]
    [InlineData("has(a)", "b=x", false)]
    [InlineData("!has(a)", "b=x", true)]
    [InlineData("!has(a)", "a=x", false)]
    // string operators: absent label never matches.
    [InlineData("a contains 'ell'", "a=hello", true)]
    [InlineData("a contains 'xyz'", "a=hello", false)]
    [InlineData("a contains ''", "a=hello", true)]
    [InlineData("a contains ''", "", false)]
    [InlineData("a starts with 'he'", "a=hello", true)]
    [InlineData("a starts with 'lo'", "a=hello", false)]
    [InlineData("a starts with 'he'", "", false)]
    [InlineData("a ends with 'lo'", "a=hello", true)]
    [InlineData("a ends with 'he'", "a=hello", false)]
    [InlineData("a ends with 'lo'", "", false)]
    [InlineData("!a contains 'x'", "", true)]
    // constants
    [InlineData("all()", "", true)]
    [InlineData("", "a=x", true)]
    [InlineData("!all()", "a=x", false)]
    // global(): only for label sets without the namespace label.
    [InlineData("global()", "a=x", true)]
    [InlineData("global()", "projectcalico.org/namespace=default", false)]
    [InlineData("!global()", "projectcalico.org/namespace=default", true)]
    [InlineData("!global()", "", false)]
    // negated comparisons
    [InlineData("!a == 'x'", "", true)]
    [InlineData("!a != 'x'", "", false)]
    [InlineData("!a != 'x'", "a=x", true)]
    public void Operator_truth_table(string selector, string labels, bool expected) =>
        Assert.Equal(expected, Selector.Parse(selector).Matches(Labels(labels)));

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, true, true, true)]
    [InlineData(true, false, false, true)]
    [InlineData(true, false, true, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, true, true, true)]
    public void Boolean_truth_table(bool a, bool b, bool c, bool aOrBAndC)
    {
        var labels = new Dictionary<string, string>();
        if (a)
            labels["a"] = "1";
        if (b)
            labels["b"] = "1";
        if (c)
            labels["c"] = "1";
        Assert.Equal(aOrBAndC, Selector.Parse("has(a) || has(b) && has(c)").Matches(labels));
        Assert.Equal((a || b) && c, Selector.Parse("(has(a) || has(b)) && has(c)").Matches(labels));
        Assert.Equal(!a && b, Selector.Parse("!has(a) && has(b)").Matches(labels));
        Assert.Equal(!(a && b), Selector.Parse("!(has(a) && has(b))").Matches(labels));
        Assert.Equal(!(a || b) || c, Selector.Parse("!(has(a) || has(b)) || has(c)").Matches(labels));
        Assert.Equal(a && b && c, Selector.Parse("has(a) && has(b) && has(c)").Matches(labels));
        Assert.Equal(a || b || c, Selector.Parse("has(a) || has(b) || has(c)").Matches(labels));
    }

    [Theory]
    [InlineData("app=='web'&&has(tier)")]
    [InlineData("app == \"web\" && has( tier )")]
    [InlineData("(app == 'web') && (has(tier))")]
    [InlineData("!!(app == 'web' && has(tier))")]
    public void Equivalent_spellings_share_canonical_form_and_id(string text)
    {
        var reference = Selector.Parse("app == \"web\" && has(tier)");
        var selector = Selector.Parse(text);
        Assert.Equal("(app == \"web\" && has(tier))", selector.Canonical);
        Assert.Equal(reference.Id, selector.Id);
        Assert.Equal(reference, selector);
        Assert.Equal(reference.GetHashCode(), selector.GetHashCode());
    }

    [Fact]
    public void One_value_set_matches_as_equality_but_keeps_its_own_text_and_id()
    {
        // Calico prints a one-value set as a set, so the two selectors have different IDs.
        var set = Selector.Parse("a in {'x'}");
        var equality = Selector.Parse("a == 'x'");
        Assert.Equal("a in {\"x\"}", set.Canonical);
        Assert.NotEqual(equality.Id, set.Id);
        Assert.NotEqual(equality, set);
        foreach (var labels in new[] { "", "a=x", "a=y", "b=x" })
            Assert.Equal(equality.Matches(Labels(labels)), set.Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("a == 'x' && (b == 'y' || !(c in {'q', 'p'} && d not in {'r'})) || global() && !all()")]
    [InlineData("!(a == 'x' || b == 'y') && (c contains 'z' || d starts with 'w' || e ends with 'v')")]
    [InlineData("a == 'say \"hi\"' || b in {\"it's\", 'q'}")]
    [InlineData("((a == 'x' || b == 'y') && (c == 'z' || d == 'w')) || e == 'v'")]
    [InlineData("")]
    public void Canonical_form_is_idempotent_without_double_negation(string text)
    {
        var once = Selector.Parse(text);
        var twice = Selector.Parse(once.Canonical);
        Assert.Equal(once.Canonical, twice.Canonical);
        Assert.Equal(once.Id, twice.Id);
    }

    [Fact]
    public void Double_negation_through_parentheses_prints_as_calico_does()
    {
        // Calico keeps the inner '!' as a node and prints "!!"; re-parsing collapses the run, as
        // Calico's parser does, so the text is not a fixed point but the meaning is kept.
        var once = Selector.Parse("!(!(a == 'x' && !(b == 'y')))");
        Assert.Equal("!!(a == \"x\" && !b == \"y\")", once.Canonical);
        var twice = Selector.Parse(once.Canonical);
        Assert.Equal("(a == \"x\" && !b == \"y\")", twice.Canonical);
        foreach (var labels in new[] { "", "a=x", "a=x,b=y", "a=x,b=z", "b=y" })
            Assert.Equal(once.Matches(Labels(labels)), twice.Matches(Labels(labels)));
    }

    [Fact]
    public void Canonical_form_parenthesises_every_group_as_calico_does()
    {
        Assert.Equal(
            "((a == \"x\" && (b == \"y\" || c == \"z\")) || !(d == \"w\" && e == \"v\"))",
            Selector.Parse("((a == 'x') && ((b == 'y') || (c == 'z'))) || (!(d == 'w' && e == 'v'))").Canonical);
    }

    [Fact]
    public void Different_selectors_get_different_ids()
    {
        string[] texts = ["a == 'x'", "a == 'y'", "a != 'x'", "has(a)", "all()", "global()", "a in {'x', 'y'}", "a == 'x' || a == 'y'"];
        var ids = texts.Select(t => Selector.Parse(t).Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Id_is_sha224_of_prefixed_canonical_form_in_base64url()
    {
        // libcalico-go's hash.MakeUniqueID("s", canonical): "s:" + unpadded base64url(SHA-224("s:" + canonical)).
        var id = Selector.Parse("").Id;
        Assert.Matches("^s:[A-Za-z0-9_-]{38}$", id);
        // SHA-224("s:all()") = e72e48dd575165f0d4d353befb15c03f1db2c42410a8c7f433a216ba (Python's hashlib).
        var expected = "s:" + Convert.ToBase64String(Convert.FromHexString("e72e48dd575165f0d4d353befb15c03f1db2c42410a8c7f433a216ba"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, id);
    }

    [Fact]
    public void Label_keys_are_distinct_and_include_the_namespace_label_for_global()
    {
        var selector = Selector.Parse("a == 'x' && (has(b) || a != 'y') && global()");
        Assert.Equal(["a", "b", Selector.NamespaceLabel], selector.LabelKeys);
        Assert.Empty(Selector.Parse("all()").LabelKeys);
    }

    [Fact]
    public void Matching_does_not_allocate()
    {
        var selector = Selector.Parse("app == 'web' && tier in {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'} && !has(x) || env != 'prod' && name starts with 'we'");
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "h", ["env"] = "prod", ["name"] = "web-1" };
        IReadOnlyDictionary<string, string> view = labels;
        for (var i = 0; i < 1000; i++)
            selector.Matches(view);
        // The runtime itself occasionally allocates on the calling thread (tiered JIT work; seen
        // as a few kilobytes once in dozens of loaded runs), so take the best of a few attempts:
        // an allocation by the evaluators would show in every one.
        var least = long.MaxValue;
        for (var attempt = 0; attempt < 5 && least > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var hits = 0;
            for (var i = 0; i < 10_000; i++)
            {
                if (selector.Matches(view))
                    hits++;
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(10_000, hits);
        }
        Assert.Equal(0, least);
    }

    [Theory]
    [InlineData("global()", true)]
    [InlineData("has(a) && !(global() || has(b))", true)]
    [InlineData("a == 'global()'", false)]
    [InlineData("global == 'x'", false)]
    public void Reports_use_of_global(string text, bool expected) =>
        Assert.Equal(expected, Selector.Parse(text).UsesGlobal);

    [Fact]
    public void Parse_rejects_null() =>
        Assert.Throws<ArgumentNullException>(() => Selector.Parse(null!));

    [Fact]
    public void All_is_the_empty_selector() =>
        Assert.Equal(Selector.Parse(""), Selector.All);
}
