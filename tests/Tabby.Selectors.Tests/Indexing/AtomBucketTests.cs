using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class AtomBucketTests
{
    private readonly LabelCatalog _catalog = new();

    // What the index does on registration: track the keys read, then resolve the reads.
    private SelectorEntry Entry(string id, string text)
    {
        var s = new SelectorEntry(id, Selector.Parse(text));
        foreach (var use in s.Uses)
            _catalog.Track(use.Key, out _);
        s.Reads = _catalog.Acquire(s.Uses);
        s.Steps = IndexedMatcher.Compile(s.Selector.Root, _catalog, s.Id);
        return s;
    }

    private IndexedKey Key(string name) => _catalog.Track(name, out _);

    private static string Show(ReadOnlySpan<SensitivityEntry> entries) =>
        string.Join(" ", entries.ToArray()
            .Select(x => $"{x.Selector.Id}:{x.Mode}:{x.Literal?.Text}")
            .Order(StringComparer.Ordinal));

    [Fact]
    public void Lists_each_selectors_sensitivities_under_the_keys_it_reads()
    {
        var bucket = new AtomBucket();
        var s1 = Entry("s1", "app == 'a' && tier in {'x', 'y'}");
        var s2 = Entry("s2", "app == 'a' && name starts with 'n'");
        bucket.Add(s1);
        bucket.Add(s2);
        Assert.Equal("s1:Literal:x s1:Literal:y s1:Presence:", Show(bucket.EntriesFor(Key("tier"))));
        // starts with compares no literal: any value change may matter.
        Assert.Equal("s2:AnyValue: s2:Presence:", Show(bucket.EntriesFor(Key("name"))));
        Assert.Equal("s1:Literal:a s1:Presence: s2:Literal:a s2:Presence:", Show(bucket.EntriesFor(Key("app"))));
        Assert.Equal("", Show(bucket.EntriesFor(Key("other"))));
        // Both selectors' literal 'a' is one object, the one an endpoint's app=a slot would hold.
        Assert.Same(Key("app").Find("a"), bucket.EntriesFor(Key("app")).ToArray().First(x => x.Mode == SensitivityMode.Literal).Literal);
        Assert.Equal(2, Key("app").Find("a")!.SelectorRefs);
        Assert.All(bucket.EntriesFor(Key("tier")).ToArray(), x => Assert.Same(x.Selector.Steps, x.Steps));
        Assert.Equal(["s1", "s2"], bucket.Members.ToArray().Select(m => m.Selector.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Removing_and_re_adding_updates_the_entries()
    {
        var bucket = new AtomBucket();
        var s1 = Entry("s1", "app == 'a' && tier == 'x'");
        var s2 = Entry("s2", "app == 'a' && env != 'prod'");
        bucket.Add(s1);
        bucket.Add(s2);
        Assert.Equal(2, bucket.EntriesFor(Key("tier")).Length);
        bucket.Remove(s1);
        Assert.Equal(0, bucket.EntriesFor(Key("tier")).Length);
        Assert.Equal(2, bucket.EntriesFor(Key("env")).Length);
        Assert.False(bucket.IsEmpty);
        bucket.Remove(s2);
        Assert.True(bucket.IsEmpty);
        Assert.Equal(0, bucket.EntriesFor(Key("app")).Length);
        Assert.Equal(0, bucket.Members.Length);
        bucket.Add(s1);
        bucket.Add(s1);
        Assert.Equal(2, bucket.EntriesFor(Key("tier")).Length);
    }

    [Fact]
    public void Entries_are_moved_only_by_changes_they_are_sensitive_to()
    {
        var bucket = new AtomBucket();
        bucket.Add(Entry("s1", "tier == 'x'"));
        var tier = Key("tier");
        var entries = bucket.EntriesFor(tier).ToArray();
        var literal = entries.Single(x => x.Mode == SensitivityMode.Literal);
        var presence = entries.Single(x => x.Mode == SensitivityMode.Presence);
        var x = tier.Find("x")!;
        var y = tier.Intern("y");
        var z = tier.Intern("z");
        Assert.True(literal.IsMovedBy(new LabelChange(tier, x, y)));
        Assert.True(literal.IsMovedBy(new LabelChange(tier, y, x)));
        Assert.False(literal.IsMovedBy(new LabelChange(tier, y, z)));
        Assert.False(presence.IsMovedBy(new LabelChange(tier, y, x)));
        Assert.True(presence.IsMovedBy(new LabelChange(tier, null, z)));
        Assert.True(presence.IsMovedBy(new LabelChange(tier, x, null)));
        var anyValue = new SensitivityEntry(null, SensitivityMode.AnyValue, literal.Selector, literal.Steps);
        Assert.True(anyValue.IsMovedBy(new LabelChange(tier, y, z)));
        Assert.False(anyValue.IsMovedBy(new LabelChange(tier, null, z)));
    }

    [Fact]
    public void Index_with_many_selectors_on_one_atom_stays_correct()
    {
        var started = new List<(string, string)>();
        var stopped = new List<(string, string)>();
        var index = new SelectorIndex((s, e) => started.Add((s, e)), (s, e) => stopped.Add((s, e)));
        index.UpdateEndpoint("e", new Dictionary<string, string> { ["app"] = "a", ["v"] = "0" });
        for (var i = 0; i < 500; i++)
            index.UpdateSelector("s" + i, Selector.Parse($"app == 'a' && v == '{i % 5}'"));
        Assert.Equal(100, started.Count);
        index.UpdateEndpoint("e", new Dictionary<string, string> { ["app"] = "a", ["v"] = "1" });
        Assert.Equal(100, stopped.Count);
        Assert.Equal(200, started.Count);
        for (var i = 0; i < 500; i += 5)
            Assert.True(index.RemoveSelector("s" + (i + 1)));
        Assert.Equal(200, stopped.Count);
        index.UpdateEndpoint("e", new Dictionary<string, string> { ["app"] = "a", ["v"] = "2" });
        Assert.Equal(300, started.Count);
        Assert.Null(index.CheckInvariants());
    }

    [Fact]
    public void Endpoint_sets_of_a_key_are_built_when_a_selector_first_anchors_on_it()
    {
        var started = new List<(string, string)>();
        var stopped = new List<(string, string)>();
        var index = new SelectorIndex((s, e) => started.Add((s, e)), (s, e) => stopped.Add((s, e)));
        for (var i = 0; i < 40; i++)
            index.UpdateEndpoint("e" + i, new Dictionary<string, string> { ["app"] = "a" + (i % 4), ["tier"] = "t" + (i % 2) });
        // Anchors on app (10 endpoints) rather than tier (20): tier is only counted so far.
        index.UpdateSelector("s1", Selector.Parse("app == 'a0' && tier == 't0'"));
        Assert.Equal(10, started.Count);
        index.UpdateEndpoint("e0", new Dictionary<string, string> { ["app"] = "a0", ["tier"] = "t1" });
        index.UpdateEndpoint("e2", new Dictionary<string, string> { ["app"] = "a2" });
        Assert.Null(index.CheckInvariants());
        // Now something anchors on tier, so its sets must reflect the updates made while counted.
        index.UpdateSelector("s2", Selector.Parse("tier == 't1'"));
        Assert.Equal(
            Enumerable.Range(0, 40).Where(i => i % 2 == 1).Select(i => "e" + i).Append("e0").Order(StringComparer.Ordinal),
            index.MatchingEndpoints("s2").Order(StringComparer.Ordinal));
        index.UpdateEndpoint("e1", new Dictionary<string, string> { ["app"] = "a1", ["tier"] = "t0" });
        Assert.False(index.IsMatch("s2", "e1"));
        Assert.Null(index.CheckInvariants());
        Assert.True(index.RemoveSelector("s2"));
        index.UpdateEndpoint("e1", new Dictionary<string, string> { ["app"] = "a1", ["tier"] = "t1" });
        Assert.Null(index.CheckInvariants());
    }
}
