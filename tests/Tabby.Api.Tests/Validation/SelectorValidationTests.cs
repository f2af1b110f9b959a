namespace Tabby.Api.Tests.Validation;

/// <summary>
/// Bad selector syntax is refused wherever a selector appears, naming the selector once and where in it the problem is.
/// The reasons come from Tabby.Selectors' parser; the theory fixes the shape, the facts fix whole messages.
/// </summary>
public class SelectorValidationTests
{
    private static string[] PolicyErrors(string selector) => ManifestFiles.Errors(
        $"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: p\nspec:\n  selector: \"{selector}\"\n", "policy.yaml");

    [Theory]
    [InlineData("role == ")]
    [InlineData("role = 'db'")]
    [InlineData("has(role")]
    [InlineData("role in {'a', 'b'")]
    [InlineData("(a == 'b'")]
    [InlineData("a == 'b' &&")]
    [InlineData("a == \\\"unterminated")]
    public void Bad_policy_selector_is_refused(string selector)
    {
        var error = Assert.Single(PolicyErrors(selector));

        var quoted = $"'{selector.Replace("\\\"", "\"", StringComparison.Ordinal)}'";
        Assert.StartsWith($"policy.yaml:6: spec.selector: invalid selector {quoted}: ", error, StringComparison.Ordinal);
        Assert.Equal(error.IndexOf(quoted, StringComparison.Ordinal), error.LastIndexOf(quoted, StringComparison.Ordinal));
        Assert.Matches(@" at position \d+$", error);
    }

    [Fact]
    public void The_message_names_the_selector_once_and_the_position_of_the_problem()
    {
        Assert.Equal(
            ["policy.yaml:6: spec.selector: invalid selector 'role = 'db'': expected '==' (a single '=' is not an operator) at position 5"],
            PolicyErrors("role = 'db'"));
    }

    [Fact]
    public void Bad_rule_selector_is_refused_at_its_path()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: n\nspec:\n  ingress:\n  - action: Allow\n    source:\n      notSelector: \"a ==\"\n";

        var error = Assert.Single(ManifestFiles.Errors(text, "policy.yaml"));

        Assert.Equal("policy.yaml:10: spec.ingress[0].source.notSelector: invalid selector 'a ==': expected a string literal but the selector ended at position 4", error);
    }

    [Fact]
    public void Bad_pool_node_selector_is_refused()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.0/16\n  nodeSelector: \"zone in {\"\n";

        var error = Assert.Single(ManifestFiles.Errors(text, "pools.yaml"));

        Assert.Equal("pools.yaml:7: spec.nodeSelector: invalid selector 'zone in {': expected '}' but the selector ended at position 9", error);
    }

    [Fact]
    public void Bad_peer_selector_is_refused()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerSelector: \"!!\"\n";

        var error = Assert.Single(ManifestFiles.Errors(text, "bgp.yaml"));

        Assert.Equal("bgp.yaml:6: spec.peerSelector: invalid selector '!!': unexpected end of selector; expected a label, '(', '!', has(), all() or global() at position 2", error);
    }

    [Fact]
    public void Global_is_only_allowed_in_a_rule_namespace_selector()
    {
        Assert.Equal(["policy.yaml:6: spec.selector: global() can only be used in an EntityRule namespaceSelector"], PolicyErrors("global()"));
    }

    [Fact]
    public void Good_selectors_pass()
    {
        foreach (var selector in new[] { "all()", "", "role == 'db' && zone != 'a'", "k in {'a', 'b'}", "!has(x) || y not in {'z'}", "name starts with 'web-'", "a contains 'b'" })
            Assert.Empty(PolicyErrors(selector));
    }
}
