namespace Tabby.Selectors.Tests.Syntax;

public class SelectorParserTests
{
    [Theory]
    [InlineData("a == 'x'", "a == \"x\"")]
    [InlineData("a != \"x\"", "a != \"x\"")]
    [InlineData("a in {'x', \"y\"}", "a in {\"x\", \"y\"}")]
    [InlineData("a not in {'x','y'}", "a not in {\"x\", \"y\"}")]
    [InlineData("has(a)", "has(a)")]
    [InlineData("!has(a)", "!has(a)")]
    [InlineData("all()", "all()")]
    [InlineData("global()", "global()")]
    [InlineData("a contains 'x'", "a contains \"x\"")]
    [InlineData("a starts with 'x'", "a starts with \"x\"")]
    [InlineData("a ends with 'x'", "a ends with \"x\"")]
    [InlineData("has(a) && has(b)", "(has(a) && has(b))")]
    [InlineData("has(a) || has(b)", "(has(a) || has(b))")]
    [InlineData("(has(a))", "has(a)")]
    public void Parses_every_operator(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Theory]
    [InlineData("", "all()")]
    [InlineData("   ", "all()")]
    [InlineData("\t", "all()")]
    public void Empty_selector_is_all(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Theory]
    [InlineData("a==\"x\"&&b!='y'||has(c)")]
    [InlineData("  a  ==  \"x\"  &&  b  !=  'y'  ||  has(  c  )  ")]
    [InlineData("\ta\t==\t\"x\"\t&&\tb != 'y' || has(c)")]
    public void Whitespace_is_insignificant(string text) =>
        Assert.Equal("((a == \"x\" && b != \"y\") || has(c))", Selector.Parse(text).Canonical);

    [Theory]
    [InlineData("a in{'x'}", "a in {\"x\"}")]
    [InlineData("a not   in {'x'}", "a not in {\"x\"}")]
    [InlineData("a startswith 'x'", "a starts with \"x\"")]
    [InlineData("a ends\twith 'x'", "a ends with \"x\"")]
    [InlineData("a contains'x'", "a contains \"x\"")]
    [InlineData("all( )", "all()")]
    [InlineData("global(\t)", "global()")]
    public void Keyword_spacing_follows_calico(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Theory]
    // '!' binds tightest, then &&, then ||; every group prints in parentheses and a parenthesised
    // group stays a group of its own, as in Calico's tree.
    [InlineData("has(a) || has(b) && has(c)", "(has(a) || (has(b) && has(c)))")]
    [InlineData("(has(a) || has(b)) && has(c)", "((has(a) || has(b)) && has(c))")]
    [InlineData("!has(a) && has(b)", "(!has(a) && has(b))")]
    [InlineData("!(has(a) && has(b))", "!(has(a) && has(b))")]
    [InlineData("!a == 'x'", "!a == \"x\"")]
    [InlineData("!!has(a)", "has(a)")]
    [InlineData("!(!has(a))", "!!has(a)")]
    [InlineData("!!!has(a)", "!has(a)")]
    [InlineData("has(a) && has(b) && has(c)", "(has(a) && has(b) && has(c))")]
    [InlineData("has(a) && (has(b) && has(c))", "(has(a) && (has(b) && has(c)))")]
    [InlineData("(has(a) || has(b)) || has(c)", "((has(a) || has(b)) || has(c))")]
    [InlineData("((((has(a)))))", "has(a)")]
    public void Precedence_and_grouping(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Fact]
    public void Precedence_changes_meaning()
    {
        var loose = Selector.Parse("has(a) || has(b) && has(c)");
        var grouped = Selector.Parse("(has(a) || has(b)) && has(c)");
        var onlyA = new Dictionary<string, string> { ["a"] = "" };
        Assert.True(loose.Matches(onlyA));
        Assert.False(grouped.Matches(onlyA));
    }

    [Theory]
    [InlineData("a == \"it's\"", "a == \"it's\"")]
    [InlineData("a == 'say \"hi\"'", "a == 'say \"hi\"'")]
    [InlineData("a == ''", "a == \"\"")]
    [InlineData("a == 'x && y || (z)'", "a == \"x && y || (z)\"")]
    [InlineData("a in {'say \"hi\"', \"it's\"}", "a in {\"it's\", 'say \"hi\"'}")]
    public void Quotes_without_escapes(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Theory]
    [InlineData("a in {}", "a in {}")]
    [InlineData("a in {'x',}", "a in {\"x\"}")]
    [InlineData("a in {'y', 'x', 'y'}", "a in {\"x\", \"y\"}")]
    [InlineData("a not in {}", "a not in {}")]
    public void Sets_are_sorted_and_deduplicated(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).Canonical);

    [Fact]
    public void Sets_sort_by_code_point_as_go_strings_do()
    {
        // U+FF21 (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) by code point and in
        // UTF-8 bytes, as Go sorts; UTF-16 ordinal order would put the surrogate pair first.
        Assert.Equal("a in {\"\uFF21\", \"\U0001F600\"}", Selector.Parse("a in {'\U0001F600', '\uFF21'}").Canonical);
    }

    [Theory]
    [InlineData("projectcalico.org/namespace == 'x'")]
    [InlineData("k8s-app == 'x'")]
    [InlineData("a_b.c/d-e == 'x'")]
    [InlineData("9 == 'x'")]
    [InlineData("has == 'x'")]
    [InlineData("all == 'x'")]
    [InlineData("contains contains 'x'")]
    [InlineData("in in {'x', 'y'}")]
    public void Label_keys_use_calicos_character_class(string text) =>
        Assert.Equal(text.Replace('\'', '"'), Selector.Parse(text).Canonical);

    [Fact]
    public void Label_of_512_characters_is_accepted()
    {
        var label = new string('k', 512);
        Assert.Equal($"{label} == \"x\"", Selector.Parse($"{label} == 'x'").Canonical);
        Assert.Equal($"has({label})", Selector.Parse($"has({label})").Canonical);
    }

    [Fact]
    public void Label_of_513_characters_is_rejected()
    {
        var label = new string('k', 513);
        var e = Assert.Throws<SelectorSyntaxException>(() => Selector.Parse($"x == 'y' && {label} == 'x'"));
        Assert.Equal(12, e.Position);
        Assert.StartsWith("label is 513 characters long; at most 512 are allowed at position 12 in 'x == ", e.Message, StringComparison.Ordinal);
        Assert.Throws<SelectorSyntaxException>(() => Selector.Parse($"has({label})"));
    }

    [Theory]
    [InlineData("app == \"x\" && (a", 16, "expected an operator after label 'a' but the selector ended")]
    [InlineData("app == \"x\" && (has(a)", 21, "expected ')' but the selector ended")]
    [InlineData("(has(a) has(b))", 8, "expected ')'")]
    [InlineData("has(a))", 6, "unexpected ')'")]
    [InlineData("has(a) has(b)", 7, "expected '&&', '||' or end of selector")]
    [InlineData("a = 'x'", 2, "expected '==' (a single '=' is not an operator)")]
    [InlineData("a == x", 5, "expected a string literal")]
    [InlineData("a ==", 4, "expected a string literal but the selector ended")]
    [InlineData("a == 'x", 5, "unterminated string literal")]
    [InlineData("a == \"x'", 5, "unterminated string literal")]
    [InlineData("a in ('x')", 5, "expected '{' to open the set after 'in'")]
    [InlineData("a in {'x' 'y'}", 10, "expected ',' or '}'")]
    [InlineData("a in {,}", 6, "expected a string literal or '}'")]
    [InlineData("a in {'x'", 9, "expected '}' but the selector ended")]
    [InlineData("a not {'x'}", 6, "'not' must be followed by 'in'")]
    [InlineData("a starts 'x'", 9, "'starts' must be followed by 'with'")]
    [InlineData("a ends", 2, "'ends' must be followed by 'with'")]
    [InlineData("a", 1, "expected an operator after label 'a' but the selector ended")]
    [InlineData("a b", 2, "expected an operator (==, !=, in, not in, contains, starts with, ends with) after label 'a'")]
    [InlineData("has(a) &", 7, "expected '&&', '||' or end of selector")]
    [InlineData("has(a) | has(b)", 7, "expected '&&', '||' or end of selector")]
    [InlineData("has(a) &&", 9, "unexpected end of selector; expected a label, '(', '!', has(), all() or global()")]
    [InlineData("&& has(a)", 0, "unexpected character '&'; expected a label, '(', '!', has(), all() or global()")]
    [InlineData("has()", 4, "expected a label name inside has()")]
    [InlineData("has(a b)", 6, "expected ')' after the label in has()")]
    [InlineData("has(a", 5, "expected ')' after the label in has() but the selector ended")]
    [InlineData("all(a)", 4, "expected ')' after all(")]
    [InlineData("global(x)", 7, "expected ')' after global(")]
    [InlineData("'x' == a", 0, "unexpected string literal; expected a label, '(', '!', has(), all() or global()")]
    [InlineData("!= 'x'", 0, "unexpected '!='; expected a label, '(', '!', has(), all() or global()")]
    [InlineData("a == 'x'\n", 8, "expected '&&', '||' or end of selector")]
    [InlineData("a\u00e9 == 'x'", 1, "expected an operator (==, !=, in, not in, contains, starts with, ends with) after label 'a'")]
    [InlineData("()", 1, "unexpected character ')'; expected a label, '(', '!', has(), all() or global()")]
    public void Bad_input_reports_reason_and_position(string text, int position, string reason)
    {
        var e = Assert.Throws<SelectorSyntaxException>(() => Selector.Parse(text));
        Assert.Equal(reason, e.Reason);
        Assert.Equal(position, e.Position);
        Assert.Equal(text, e.Text);
        Assert.Equal($"{reason} at position {position} in '{text}'", e.Message);

        Assert.False(Selector.TryParse(text, out var selector, out var error));
        Assert.Null(selector);
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var text = new string('(', 5000) + "has(a)" + new string(')', 5000);
        var e = Assert.Throws<SelectorSyntaxException>(() => Selector.Parse(text));
        Assert.Equal("parentheses nested more than 200 deep", e.Reason);
        var ok = new string('(', 200) + "has(a)" + new string(')', 200);
        Assert.Equal("has(a)", Selector.Parse(ok).Canonical);
    }

    [Fact]
    public void Long_negation_runs_are_iterative()
    {
        var text = new string('!', 100_001) + "has(a)";
        Assert.Equal("!has(a)", Selector.Parse(text).Canonical);
    }

    [Fact]
    public void TryParse_succeeds_without_error()
    {
        Assert.True(Selector.TryParse("has(a)", out var selector, out var error));
        Assert.Null(error);
        Assert.Equal("has(a)", selector.Canonical);
    }
}
