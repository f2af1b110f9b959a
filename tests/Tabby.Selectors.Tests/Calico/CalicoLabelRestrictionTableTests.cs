namespace Tabby.Selectors.Tests.Calico;

/// <summary>
/// The table of Calico's libcalico-go/lib/selector/parser/label_restriction_test.go
/// (projectcalico/calico at 87c15906f20c). Each restriction is written with Calico's fields:
/// "present" for MustBePresent, "absent" for MustBeAbsent, "values [..]" for MustHaveOneOfValues
/// (compared as a set; Calico's order depends on its evaluation order); "" is Calico's nil map.
/// </summary>
public class CalicoLabelRestrictionTableTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("all()", "")]
    [InlineData("global()", "")]
    [InlineData("a == 'value'", "a: present, values [value]")]
    [InlineData("has(a)", "a: present")]
    [InlineData("a in {'v1','v2'}", "a: present, values [v1 v2]")]
    [InlineData("a not in {'v1','v2'}", "")]
    [InlineData("a contains 'foo'", "a: present")]
    [InlineData("a ends with 'foo'", "a: present")]
    [InlineData("a starts with 'foo'", "a: present")]
    [InlineData("a != 'value'", "")]
    [InlineData("a == 'v1' && a == 'v1'", "a: present, values [v1]")]
    [InlineData("a == 'v1' && a == 'v2'", "a: present, values []")]
    [InlineData("a == 'v1' && has(a)", "a: present, values [v1]")]
    [InlineData("a in {'v1','v2'} && a in {'v2','v3'} ", "a: present, values [v2]")]
    [InlineData("a in {'v1','v2', 'v3'} && a in {'v2','v3'} ", "a: present, values [v2 v3]")]
    [InlineData("has(a) && a == 'v1'", "a: present, values [v1]")]
    [InlineData("has(a) && !has(a)", "a: present, absent")]
    [InlineData("a == 'v1' && b == 'v2'", "a: present, values [v1]; b: present, values [v2]")]
    [InlineData("a == 'v1' && all()", "a: present, values [v1]")]
    [InlineData("all() && a == 'v1'", "a: present, values [v1]")]
    [InlineData("a == 'v1' || a == 'v2'", "a: present, values [v1 v2]")]
    [InlineData("has(a) || a == 'v2'", "a: present")]
    [InlineData("a=='v2' || has(a)", "a: present")]
    [InlineData("a=='v2' || has(b)", "")]
    [InlineData("a=='v2' || (has(b) && has(a))", "a: present")]
    [InlineData("a == 'v1' || b == 'v2'", "")]
    [InlineData("a == 'v1' || all()", "")]
    [InlineData("all() || b == 'v2'", "")]
    [InlineData("!(a == 'value')", "")]
    [InlineData("!has(a)", "a: absent")]
    [InlineData("!!has(a)", "a: present")]
    public void Restrictions_are_calicos(string selector, string expected)
    {
        Assert.Equal(expected, Describe(Selector.Parse(selector)));
        // Calico's table also checks that "all() && (sel)" restricts exactly as sel does.
        if (selector.Length > 0)
            Assert.Equal(expected, Describe(Selector.Parse($"all() && ({selector})")));
    }

    private static string Describe(Selector selector) =>
        string.Join("; ", selector.LabelRestrictions
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + ": " + Fields(kv.Value)));

    private static string Fields(LabelRestriction r)
    {
        var parts = new List<string>();
        if (r.MustBePresent)
            parts.Add("present");
        if (r.MustBeAbsent)
            parts.Add("absent");
        if (r.AllowedValues is { } values)
            parts.Add("values [" + string.Join(' ', values.Order(StringComparer.Ordinal)) + "]");
        return string.Join(", ", parts);
    }
}
