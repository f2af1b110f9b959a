namespace Tabby.Api.Tests.Validation;

/// <summary>Bad IP pools are refused with file:line: path: reason, as Calico's validator would refuse them.</summary>
public class IPPoolValidationTests
{
    private static string Pool(string spec, string name = "pool1") => $"""
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata:
          name: {name}
        spec:
        {spec}
        """;

    [Fact]
    public void Block_size_over_32_is_out_of_range()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  blockSize: 33"), "pools.yaml");

        Assert.Equal(["pools.yaml:7: spec.blockSize: 33 is out of range 20-32"], errors);
    }

    [Fact]
    public void Block_size_under_20_is_out_of_range()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  blockSize: 19"), "pools.yaml");

        Assert.Equal(["pools.yaml:7: spec.blockSize: 19 is out of range 20-32"], errors);
    }

    [Fact]
    public void IPv6_block_size_range_is_116_to_128()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: fd00::/48\n  blockSize: 112"), "pools.yaml");

        Assert.Equal(["pools.yaml:7: spec.blockSize: 112 is out of range 116-128"], errors);
    }

    [Fact]
    public void Unknown_field_is_an_error_not_dropped()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  blokSize: 24"), "pools.yaml");

        Assert.Equal(["pools.yaml:7: spec.blokSize: unknown field"], errors);
    }

    [Fact]
    public void Cidr_with_host_bits_is_refused()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.1/16"), "pools.yaml");

        Assert.Equal(["pools.yaml:6: spec.cidr: '10.0.0.1/16' has host bits set; the network is 10.0.0.0/16"], errors);
    }

    [Fact]
    public void Missing_cidr_points_at_the_spec()
    {
        var errors = ManifestFiles.Errors(Pool("  natOutgoing: true"), "pools.yaml");

        Assert.Equal(["pools.yaml:5: spec.cidr: required"], errors);
    }

    [Fact]
    public void Pool_smaller_than_a_block_is_refused()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/28\n  blockSize: 26"), "pools.yaml");

        Assert.Equal(["pools.yaml:6: spec.cidr: the pool /28 is smaller than one block (/26)"], errors);
    }

    [Fact]
    public void Encapsulation_modes_are_an_enum()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  ipipMode: Sometimes\n  vxlanMode: always"), "pools.yaml");

        Assert.Equal(
        [
            "pools.yaml:7: spec.ipipMode: Unsupported value: \"Sometimes\": supported values: \"Never\", \"Always\", \"CrossSubnet\"",
            "pools.yaml:8: spec.vxlanMode: Unsupported value: \"always\": supported values: \"Never\", \"Always\", \"CrossSubnet\"",
        ], errors);
    }

    [Fact]
    public void IPIP_and_VXLAN_cannot_both_be_enabled()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  ipipMode: Always\n  vxlanMode: CrossSubnet"), "pools.yaml");

        Assert.Equal(["pools.yaml:5: spec: ipipMode and vxlanMode cannot both be enabled"], errors);
    }

    [Fact]
    public void IPIP_is_not_supported_on_IPv6()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: fd00::/48\n  ipipMode: Always"), "pools.yaml");

        Assert.Equal(["pools.yaml:7: spec.ipipMode: IPIP is not supported on IPv6 pools"], errors);
    }

    [Fact]
    public void Link_local_range_is_refused()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 169.254.0.0/20"), "pools.yaml");

        Assert.Equal(["pools.yaml:6: spec.cidr: IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16"], errors);
    }

    [Fact]
    public void Allowed_uses_are_an_enum_and_load_balancer_stands_alone()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  allowedUses: [Workload, Pods, LoadBalancer]"), "pools.yaml");

        Assert.Equal(
        [
            "pools.yaml:7: spec.allowedUses[0]: LoadBalancer cannot be combined with Workload or Tunnel allowed uses",
            "pools.yaml:7: spec.allowedUses[1]: Unsupported value: \"Pods\": supported values: \"Workload\", \"Tunnel\", \"LoadBalancer\"",
        ], errors);
    }

    [Fact]
    public void Load_balancer_pools_are_not_encapsulated_and_cover_all_nodes()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  allowedUses: [LoadBalancer]\n  vxlanMode: Always\n  nodeSelector: zone == 'a'"), "pools.yaml");

        Assert.Equal(
        [
            "pools.yaml:5: spec: LoadBalancer IP pool cannot have IPIP or VXLAN enabled",
            "pools.yaml:9: spec.nodeSelector: IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()",
        ], errors);
    }

    [Fact]
    public void A_disabled_pool_may_be_smaller_than_a_block()
    {
        Assert.Empty(ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/28\n  blockSize: 26\n  disabled: true"), "pools.yaml"));
    }

    [Fact]
    public void Numbers_and_booleans_must_have_their_types()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16\n  blockSize: \"26\"\n  natOutgoing: maybe\n  disabled: [true]"), "pools.yaml");

        Assert.Equal(
        [
            "pools.yaml:7: spec.blockSize: expected an integer, got \"26\"",
            "pools.yaml:8: spec.natOutgoing: expected true or false, got maybe",
            "pools.yaml:9: spec.disabled: expected true or false, got a list",
        ], errors);
    }

    [Fact]
    public void YAML_1_1_booleans_are_read_as_calico_reads_them()
    {
        var pool = Assert.IsType<Tabby.Api.Resources.IPPool>(Assert.Single(ManifestFiles.ReadValidText(Pool("  cidr: 10.0.0.0/16\n  natOutgoing: yes\n  disabled: off"), "pools.yaml")));

        Assert.True(pool.Spec.NatOutgoing);
        Assert.False(pool.Spec.Disabled);
    }

    [Fact]
    public void Names_must_be_DNS_subdomains()
    {
        var errors = ManifestFiles.Errors(Pool("  cidr: 10.0.0.0/16", name: "My_Pool"), "pools.yaml");

        Assert.Equal(["pools.yaml:4: metadata.name: 'My_Pool' is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit"], errors);
    }

    [Fact]
    public void Cluster_scoped_kinds_take_no_namespace()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  namespace: default\nspec:\n  cidr: 10.0.0.0/16\n";

        Assert.Equal(["pools.yaml:5: metadata.namespace: IPPool is not namespaced; remove the namespace"], ManifestFiles.Errors(text, "pools.yaml"));
    }

    [Fact]
    public void Every_error_in_every_document_is_reported_and_good_documents_still_read()
    {
        var text = Pool("  cidr: 10.0.0.0/16\n  blockSize: 33\n  ipipMode: Maybe", name: "bad-one")
            + "\n---\n" + Pool("  cidr: 10.1.0.0/16", name: "good")
            + "\n---\n" + Pool("  cidr: 10.2.0.1/16\n  colour: blue", name: "bad-two");

        var result = new Tabby.Api.Serialization.ResourceReader().Read(text, "pools.yaml");

        Assert.Equal(
        [
            "pools.yaml:7: spec.blockSize: 33 is out of range 20-32",
            "pools.yaml:8: spec.ipipMode: Unsupported value: \"Maybe\": supported values: \"Never\", \"Always\", \"CrossSubnet\"",
            "pools.yaml:22: spec.cidr: '10.2.0.1/16' has host bits set; the network is 10.2.0.0/16",
            "pools.yaml:23: spec.colour: unknown field",
        ], result.Errors.Select(e => e.ToString()));
        Assert.Equal("good", Assert.Single(result.Resources).Metadata.Name);
        Assert.Equal([1, 1, 3, 3], result.Errors.Select(e => e.Document));
    }
}
