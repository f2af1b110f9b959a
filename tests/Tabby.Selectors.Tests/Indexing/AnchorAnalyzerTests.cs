using Tabby.Selectors.Indexing;

namespace Tabby.Selectors.Tests.Indexing;

public class AnchorAnalyzerTests
{
    private static string Anchor(string selector, Func<LabelAtom, long>? cost = null)
    {
        var atoms = AnchorAnalyzer.Analyze(Selector.Parse(selector).Root, cost ?? (a => a.Value is null ? 8 : 1));
        return atoms is null ? "fallback"
            : string.Join(", ", atoms.Select(a => a.Value is null ? $"has({a.Key})" : $"{a.Key}={a.Value}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("a == 'x'", "a=x")]
    [InlineData("a in {'x', 'y'}", "a=x, a=y")]
    [InlineData("a in {}", "")]
    [InlineData("has(a)", "has(a)")]
    [InlineData("a contains 'x'", "has(a)")]
    [InlineData("!has(a)", "fallback")]
    [InlineData("a != 'x'", "fallback")]
    [InlineData("a not in {'x'}", "fallback")]
    [InlineData("all()", "fallback")]
    [InlineData("!all()", "")]
    [InlineData("!global()", "has(projectcalico.org/namespace)")]
    [InlineData("!a != 'x'", "a=x")]
    [InlineData("has(role) && env != 'prod'", "has(role)")]
    [InlineData("has(a) && b == 'x'", "b=x")]
    [InlineData("a in {'1', '2', '3'} && b == 'x'", "b=x")]
    [InlineData("a == 'x' || b == 'y'", "a=x, b=y")]
    [InlineData("a == 'x' || has(a)", "has(a)")]
    [InlineData("a == 'x' || !has(b)", "fallback")]
    [InlineData("a == 'x' || !all()", "a=x")]
    [InlineData("a == 'x' && a in {}", "")]
    [InlineData("!(a != 'x' || b != 'y')", "a=x")]
    public void Picks_cheapest_necessary_atoms(string selector, string expected) =>
        Assert.Equal(expected, Anchor(selector));

    [Fact]
    public void Cost_decides_between_operands()
    {
        // With env == "prod" common and has(role) rare, the has() atom is the better anchor.
        Assert.Equal("has(role)", Anchor("env == 'prod' && has(role)", a => a.Key == "env" ? 1000 : 5));
        Assert.Equal("env=prod", Anchor("env == 'prod' && has(role)", a => a.Key == "env" ? 5 : 1000));
    }
}
