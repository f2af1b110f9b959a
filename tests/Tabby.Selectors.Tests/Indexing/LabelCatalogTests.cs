using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class LabelCatalogTests
{
    [Fact]
    public void Keys_and_values_are_one_object_each_however_their_strings_were_made()
    {
        var catalog = new LabelCatalog();
        var app = catalog.Track(new string("app".AsSpan()), out var added);
        Assert.True(added);
        Assert.Same(app, catalog.Track("app", out added));
        Assert.False(added);
        // Keys are interned, so endpoint slots holding the name match selector keys by reference.
        Assert.Same(string.Intern("app"), app.Name);
        Assert.Same(app.Intern("web"), app.Intern(new string("web".AsSpan())));
        Assert.Null(catalog.Find("tier"));
        Assert.Null(app.Find("db"));
    }

    [Fact]
    public void Values_are_kept_while_endpoints_or_selectors_use_them_and_forgotten_after()
    {
        var catalog = new LabelCatalog();
        var s = new SelectorEntry("s", Selector.Parse("app in {'web', 'db'} && tier != 'x'"));
        foreach (var use in s.Uses)
            catalog.Track(use.Key, out _);
        var reads = catalog.Acquire(s.Uses);
        var app = catalog.Find("app")!;
        var web = app.Find("web")!;
        Assert.Equal(1, web.SelectorRefs);
        Assert.Equal(1, catalog.Find("tier")!.Find("x")!.SelectorRefs);

        var e = new EndpointEntry("e", new LabelMap(1));
        web.AddEndpoint(e);
        Assert.Equal(1, app.EndpointCount);
        LabelCatalog.Release(reads);
        // Released by the selector, still carried by the endpoint.
        Assert.Same(web, app.Find("web"));
        Assert.Null(app.Find("db"));
        Assert.Null(catalog.Find("tier")!.Find("x"));
        web.RemoveEndpoint(e);
        app.ReleaseIfUnused(web);
        Assert.Null(app.Find("web"));
        Assert.Equal(0, app.EndpointCount);
    }

    [Fact]
    public void Anchor_keys_are_counted_per_read_key()
    {
        var catalog = new LabelCatalog();
        var version = catalog.Track("version", out _);
        var app = catalog.Track("app", out _);
        var ns = catalog.Track("ns", out _);
        version.CountAnchorKey(app, +1);
        version.CountAnchorKey(app, +1);
        version.CountAnchorKey(ns, +1);
        Assert.Equal([app, ns], version.AnchorKeys.ToArray().OrderBy(k => k.Name, StringComparer.Ordinal));
        version.CountAnchorKey(app, -1);
        Assert.Equal(2, version.AnchorKeys.Length);
        version.CountAnchorKey(app, -1);
        Assert.Equal([ns], version.AnchorKeys.ToArray());
    }
}
