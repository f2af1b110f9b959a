namespace Tabby.Api.Tests.Validation;

/// <summary>Bad policy rules are refused with the rule's path and line.</summary>
public class PolicyValidationTests
{
    // The rule starts on line 8; its fields follow.
    private static string[] Ingress(string rule, string kind = "GlobalNetworkPolicy", string name = "p1", string specExtra = "") => ManifestFiles.Errors($"""
        apiVersion: projectcalico.org/v3
        kind: {kind}
        metadata:
          name: {name}
        spec:
          selector: all(){specExtra}
          ingress:
          {rule}
        """, "policy.yaml");

    [Fact]
    public void Numeric_ports_need_a_protocol_with_ports_and_named_ports_none()
    {
        Assert.Equal(
            ["policy.yaml:10: spec.ingress[0].destination.ports: rules with numeric port or port range must set protocol to TCP or UDP or SCTP"],
            Ingress("- action: Allow\n    destination:\n      ports: [80]"));
        // A named port takes its protocol from the endpoint that declares it, as in Calico.
        Assert.Empty(Ingress("- action: Allow\n    destination:\n      ports: [http]"));
        Assert.Equal(
            ["policy.yaml:11: spec.ingress[0].source.notPorts: rules that specify ports must set protocol to TCP or UDP or SCTP"],
            Ingress("- action: Allow\n    protocol: ICMP\n    source:\n      notPorts: [22]"));
    }

    [Fact]
    public void SCTP_and_protocol_numbers_with_ports_are_accepted()
    {
        Assert.Empty(Ingress("- action: Allow\n    protocol: SCTP\n    destination:\n      ports: [3868]"));
        Assert.Empty(Ingress("- action: Allow\n    protocol: 17\n    destination:\n      ports: [\"1000:2000\", dns]"));
    }

    [Fact]
    public void Port_ranges_and_numbers_are_checked()
    {
        Assert.Equal(
        [
            "policy.yaml:11: spec.ingress[0].destination.ports[0]: port range 2000:1000: the minimum is greater than the maximum",
            "policy.yaml:11: spec.ingress[0].destination.ports[1]: port 70000: port range invalid, port number must be between 1 and 65535",
            "policy.yaml:11: spec.ingress[0].destination.ports[2]: 'HTTP_PORT' is not a valid port name: 1-15 lower case letters, digits and '-', with at least one letter",
        ], Ingress("- action: Allow\n    protocol: TCP\n    destination:\n      ports: [\"2000:1000\", 70000, HTTP_PORT]"));
    }

    [Fact]
    public void Action_is_required_and_an_enum()
    {
        Assert.Equal(["policy.yaml:8: spec.ingress[0].action: 'Accept' is not one of Allow, Deny, Log, Pass"], Ingress("- action: Accept"));
        Assert.Equal(["policy.yaml:8: spec.ingress[0].action: required"], Ingress("- protocol: TCP"));
    }

    [Fact]
    public void Protocol_names_are_exact_and_numbers_are_1_to_255()
    {
        Assert.Equal(
            ["policy.yaml:9: spec.ingress[0].protocol: 'tcp' is not a protocol: use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255"],
            Ingress("- action: Allow\n    protocol: tcp"));
        Assert.Equal(["policy.yaml:9: spec.ingress[0].notProtocol: 256 is out of range 1-255"], Ingress("- action: Allow\n    notProtocol: 256"));
    }

    [Fact]
    public void ICMP_fields_are_checked()
    {
        Assert.Equal(
        [
            "policy.yaml:12: spec.ingress[0].icmp.type: 255 is out of range 0-254",
            "policy.yaml:13: spec.ingress[0].icmp.code: 256 is out of range 0-255",
        ], Ingress("- action: Allow\n    protocol: ICMP\n    ipVersion: 4\n    icmp:\n      type: 255\n      code: 256"));
        Assert.Equal(["policy.yaml:11: spec.ingress[0].notICMP.code: ICMP code specified without an ICMP type"], Ingress("- action: Allow\n    protocol: ICMPv6\n    notICMP:\n      code: 3"));
        Assert.Equal(["policy.yaml:10: spec.ingress[0].icmp: ICMP fields require protocol to be ICMP or ICMPv6"], Ingress("- action: Allow\n    protocol: TCP\n    icmp:\n      type: 8"));
    }

    [Fact]
    public void ICMP_and_ip_version_must_agree()
    {
        Assert.Equal(["policy.yaml:9: spec.ingress[0].protocol: protocol ICMP requires ipVersion 4"], Ingress("- action: Allow\n    protocol: ICMP\n    ipVersion: 6"));
        Assert.Equal(["policy.yaml:9: spec.ingress[0].ipVersion: 5 is not 4 or 6"], Ingress("- action: Allow\n    ipVersion: 5"));
    }

    [Fact]
    public void Rule_nets_must_be_masked()
    {
        Assert.Equal(
            ["policy.yaml:10: spec.ingress[0].source.notNets[1]: '10.1.2.3/8' has host bits set; the network is 10.0.0.0/8"],
            Ingress("- action: Deny\n    source:\n      notNets: [192.168.0.0/16, 10.1.2.3/8]"));
    }

    [Fact]
    public void HTTP_match_only_on_allow_rules_with_one_kind_of_path()
    {
        Assert.Equal(
        [
            "policy.yaml:9: spec.ingress[0].http: HTTP match is only valid on Allow rules",
            "policy.yaml:11: spec.ingress[0].http.paths[0]: Invalid path match. Both 'exact' and 'prefix' are set",
        ], Ingress("- action: Deny\n    http:\n      paths:\n      - exact: /a\n        prefix: /b"));
    }

    [Fact]
    public void Services_exclude_selectors_and_nets()
    {
        Assert.Equal(
        [
            "policy.yaml:10: spec.ingress[0].source.services: cannot specify Selector/NotSelector and Services on the same rule",
            "policy.yaml:10: spec.ingress[0].source.services: cannot specify Nets/NotNets and Services on the same rule",
        ], Ingress("- action: Allow\n    source:\n      services:\n        name: web\n        namespace: shop\n      selector: a == 'b'\n      nets: [10.0.0.0/8]"));
        Assert.Equal(
            ["policy.yaml:10: spec.ingress[0].destination.services: not allowed in ingress rule destination"],
            Ingress("- action: Allow\n    destination:\n      services:\n        name: web"));
    }

    [Fact]
    public void Types_are_ingress_or_egress_once_each()
    {
        Assert.Equal(
        [
            "policy.yaml:7: spec.types[0]: 'Both' is not one of Ingress, Egress",
            "policy.yaml:7: spec.types[2]: 'Egress' type specified more than once",
        ], Ingress("- action: Allow", specExtra: "\n  types: [Both, Egress, Egress]"));
    }

    [Fact]
    public void Policies_outside_the_default_tier_carry_the_tier_prefix()
    {
        Assert.Equal(
            ["policy.yaml:4: metadata.name: policy name 'block-bad' must start with its tier name: 'security.block-bad'"],
            Ingress("- action: Deny", name: "block-bad", specExtra: "\n  tier: security"));
        Assert.Empty(Ingress("- action: Deny", name: "security.block-bad", specExtra: "\n  tier: security"));
    }

    [Fact]
    public void PreDNAT_and_doNotTrack_rules()
    {
        Assert.Equal(
        [
            "policy.yaml:5: spec.applyOnForward: applyOnForward must be true if either preDNAT or doNotTrack is true",
            "policy.yaml:7: spec.preDNAT: preDNAT and doNotTrack cannot both be true",
        ], Ingress("- action: Allow", specExtra: "\n  preDNAT: true\n  doNotTrack: true"));
    }

    [Fact]
    public void Namespaced_policy_gets_default_namespace_tier_and_types()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  egress:\n  - action: Allow\n";
        var policy = Assert.IsType<Tabby.Api.Resources.NetworkPolicy>(Assert.Single(ManifestFiles.ReadValidText(text, "np.yaml")));

        Assert.Equal("default", policy.Metadata.Namespace);
        Assert.Equal("default", policy.Spec.Tier);
        Assert.Equal(["Egress"], policy.Spec.Types);
    }

    [Fact]
    public void Labels_are_checked()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: s\n  labels:\n    -bad: x\n    good: 'not valid!'\nspec:\n  nets: [10.0.0.0/8]\n";

        Assert.Equal(
        [
            "set.yaml:6: metadata.labels.-bad: '-bad' is not a valid key: the name must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
            "set.yaml:7: metadata.labels.good: 'not valid!' is not a valid label value: up to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        ], ManifestFiles.Errors(text, "set.yaml"));
    }

    [Fact]
    public void Well_known_tiers_must_state_calicos_order_and_default_action()
    {
        // Calico's Tier CRD rules: no default for the order, so a well-known tier must give it.
        var tier = Assert.IsType<Tabby.Api.Resources.Tier>(Assert.Single(ManifestFiles.ReadValidText(
            "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: default\nspec:\n  order: 1000000\n", "tier.yaml")));
        Assert.Equal(1_000_000, tier.Spec.Order);
        Assert.Equal("Deny", tier.Spec.DefaultAction);
        Assert.Equal(["tier.yaml:1: spec.order: default tier order must be 1000000"],
            ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: default\n", "tier.yaml"));
        Assert.Equal(["tier.yaml:6: spec.order: default tier order must be 1000000"],
            ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: default\nspec:\n  order: 5\n", "tier.yaml"));
        // kube-admin passes to the next tier; the CRD's default action (Deny) does not fit it.
        Assert.Equal(["tier.yaml:5: spec.defaultAction: The 'kube-admin' tier must have default action 'Pass'"],
            ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: kube-admin\nspec:\n  order: 1000\n", "tier.yaml"));
        Assert.Equal(["tier.yaml:4: metadata.name: 'a.b' is not a valid name: use lower case letters, digits and '-', starting and ending with a letter or digit"],
            ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: a.b\n", "tier.yaml"));
    }

    [Fact]
    public void Network_sets_may_not_claim_a_namespace_label()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: s\n  labels:\n    projectcalico.org/namespace: x\n";

        Assert.Equal(["set.yaml:6: metadata.labels.projectcalico.org/namespace: projectcalico.org/namespace is not a valid label name"], ManifestFiles.Errors(text, "set.yaml"));
    }
}
