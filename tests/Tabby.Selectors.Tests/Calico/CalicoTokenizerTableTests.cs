namespace Tabby.Selectors.Tests.Calico;

/// <summary>
/// The table of Calico's libcalico-go/lib/selector/tokenizer/tokenizer_test.go (projectcalico/calico
/// at 87c15906f20c). Tabby has no separate tokenizer, so each entry is checked through the parser:
/// an input Calico's tokenizer refuses must not parse, and an input it splits into tokens must
/// parse to the selector those tokens spell (or be refused where Calico's parser refuses the tokens).
/// </summary>
public class CalicoTokenizerTableTests
{
    // Inputs Calico tokenizes; the second column is the canonical text of the selector its tokens form.
    [Theory]
    [InlineData("a==\"b\"", "a == \"b\"")]
    [InlineData("a!=\"b\"", "a != \"b\"")]
    [InlineData("a != \"b\"", "a != \"b\"")]
    [InlineData("(a==\"b\")", "a == \"b\"")]
    [InlineData("label == \"value\"", "label == \"value\"")]
    [InlineData("label contains \"value\"", "label contains \"value\"")]
    [InlineData("contains contains \"contains\"", "contains contains \"contains\"")]
    [InlineData("contains contains 'contains'", "contains contains \"contains\"")]
    [InlineData("label contains\"value\"", "label contains \"value\"")]
    [InlineData("label startswith \"value\"", "label starts with \"value\"")]
    [InlineData("label endswith \"value\"", "label ends with \"value\"")]
    [InlineData("label starts with \"value\"", "label starts with \"value\"")]
    [InlineData("startswith starts with \"value\"", "startswith starts with \"value\"")]
    [InlineData("label ends with \"value\"", "label ends with \"value\"")]
    [InlineData("endswith ends with \"value\"", "endswith ends with \"value\"")]
    [InlineData("label starts  with \"value\"", "label starts with \"value\"")]
    [InlineData("label ends  with \"value\"", "label ends with \"value\"")]
    [InlineData("has(calico/k8s_ns)", "has(calico/k8s_ns)")]
    [InlineData("has(calico/k8s_ns/role)", "has(calico/k8s_ns/role)")]
    [InlineData("has(calico/k8s_NS-.1/role)", "has(calico/k8s_NS-.1/role)")]
    [InlineData("calico/k8s_ns == \"kube-system\" && k8s-app == \"kube-dns\"", "(calico/k8s_ns == \"kube-system\" && k8s-app == \"kube-dns\")")]
    [InlineData("a not in {}", "a not in {}")]
    [InlineData("a not in {\"a\"}", "a not in {\"a\"}")]
    [InlineData("a not in {\"a\",\"B\"}", "a not in {\"B\", \"a\"}")]
    [InlineData("global()", "global()")]
    [InlineData("global( )", "global()")]
    [InlineData("all()", "all()")]
    [InlineData("all( )", "all()")]
    public void Tokenizable_input_parses_to_the_selector_its_tokens_spell(string input, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(input).Canonical);

    // Token streams Calico's tokenizer produces but its parser refuses ('in' without a set literal).
    [Theory]
    [InlineData("a not in \"bar\" && !has(foo) || b in c")]
    [InlineData("a  not  in  \"bar\"  &&  ! has( foo )  ||  b  in  c ")]
    [InlineData("a notin\"bar\"&&!has(foo)||b in\"c\"")]
    public void Tokens_without_a_set_literal_are_refused_by_the_parser(string input) =>
        Assert.Throws<SelectorSyntaxException>(() => Selector.Parse(input));

    // Inputs Calico's tokenizer refuses.
    [Theory]
    [InlineData("label == \"value")]
    [InlineData("label == 'value")]
    [InlineData("label = \"value\"")]
    [InlineData("all(")]
    [InlineData("global(")]
    [InlineData("has()")]
    [InlineData("has(foo")]
    [InlineData("has( foo ")]
    [InlineData("a == \"b\" & has(foo)")]
    [InlineData("a == \"b\" | has(foo)")]
    [InlineData("label starts foo \"value\"")]
    [InlineData("label inf \"value\"")]
    [InlineData("label ends foo \"value\"")]
    [InlineData("label ends withs \"value\"")]
    [InlineData("label squiggles \"value\"")]
    public void Untokenizable_input_is_refused(string input) =>
        Assert.Throws<SelectorSyntaxException>(() => Selector.Parse(input));

    // strings.Repeat("a", 512) + ` == "value"` tokenizes; 513 characters do not.
    [Fact]
    public void Label_of_512_characters_is_the_longest_calico_tokenizes()
    {
        Assert.Equal(new string('a', 512) + " == \"value\"", Selector.Parse(new string('a', 512) + " == \"value\"").Canonical);
        Assert.Throws<SelectorSyntaxException>(() => Selector.Parse(new string('a', 513) + " == \"value\""));
    }
}
