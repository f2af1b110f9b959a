using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Serialization;

/// <summary>Canonical output: fixed field order, defaults filled where Calico fills them, empty fields left out.</summary>
public class ResourceWriterTests
{
    [Fact]
    public void Pool_is_written_with_calico_defaults_in_canonical_order()
    {
        var pool = ManifestFiles.ReadValidText("kind: IPPool\napiVersion: projectcalico.org/v3\nspec:\n  natOutgoing: true\n  cidr: 10.0.0.0/16\nmetadata:\n  name: p\n", "p.yaml");

        Assert.Equal("""
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata:
              name: p
            spec:
              cidr: 10.0.0.0/16
              vxlanMode: Never
              ipipMode: Never
              natOutgoing: true
              blockSize: 26
              nodeSelector: all()
              allowedUses:
              - Workload
              - Tunnel
              assignmentMode: Automatic

            """, ResourceWriter.Write(pool, ResourceFormat.Yaml));
    }

    [Fact]
    public void Pool_with_a_namespace_selector_keeps_allowed_uses_absent_as_calicos_crds_store_it()
    {
        var pool = Assert.IsType<IPPool>(Assert.Single(ManifestFiles.ReadValidText("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.0/16\n  namespaceSelector: team == 'a'\n", "p.yaml")));

        Assert.Null(pool.Spec.AllowedUses);
        var again = Assert.IsType<IPPool>(Assert.Single(ManifestFiles.ReadValidText(ResourceWriter.Write(pool, ResourceFormat.Yaml), "p.yaml")));
        Assert.Null(again.Spec.AllowedUses);
    }

    [Fact]
    public void Crd_defaults_fill_absent_fields_of_bgp_felix_and_ipam_configuration()
    {
        var read = ManifestFiles.ReadValidText("""
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              asNumber: 64512
            ---
            apiVersion: projectcalico.org/v3
            kind: FelixConfiguration
            metadata:
              name: node.host1
            spec: {}
            ---
            apiVersion: projectcalico.org/v3
            kind: IPAMConfiguration
            metadata:
              name: default
            spec:
              strictAffinity: true
            ---
            apiVersion: projectcalico.org/v3
            kind: BlockAffinity
            metadata:
              name: host1-10-0-0-0-26
            spec:
              state: confirmed
              node: host1
              cidr: 10.0.0.0/26

            """, "defaults.yaml");

        Assert.Equal("""
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              logSeverityScreen: Info
              asNumber: 64512
              serviceLoadBalancerAggregation: Enabled
            ---
            apiVersion: projectcalico.org/v3
            kind: FelixConfiguration
            metadata:
              name: node.host1
            spec:
              nftablesMode: Auto
              nftablesFlowTableOffload: Disabled
            ---
            apiVersion: projectcalico.org/v3
            kind: IPAMConfiguration
            metadata:
              name: default
            spec:
              strictAffinity: true
              autoAllocateBlocks: true
            ---
            apiVersion: projectcalico.org/v3
            kind: BlockAffinity
            metadata:
              name: host1-10-0-0-0-26
            spec:
              state: confirmed
              node: host1
              cidr: 10.0.0.0/26
              deleted: false

            """, string.Join("---\n", read.Select(r => ResourceWriter.Write(r, ResourceFormat.Yaml))));
    }

    [Fact]
    public void Crd_defaults_leave_given_values_alone()
    {
        var read = ManifestFiles.ReadValidText("""
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              logSeverityScreen: Debug
              serviceLoadBalancerAggregation: Disabled
            ---
            apiVersion: projectcalico.org/v3
            kind: FelixConfiguration
            metadata:
              name: default
            spec:
              nftablesMode: Disabled
              nftablesFlowTableOffload: All
            ---
            apiVersion: projectcalico.org/v3
            kind: IPAMConfiguration
            metadata:
              name: default
            spec:
              autoAllocateBlocks: false

            """, "given.yaml");

        var bgp = Assert.IsType<BGPConfiguration>(read[0]);
        var felix = Assert.IsType<FelixConfiguration>(read[1]);
        var ipam = Assert.IsType<IPAMConfiguration>(read[2]);
        Assert.Equal(("Debug", "Disabled"), (bgp.Spec.LogSeverityScreen, bgp.Spec.ServiceLoadBalancerAggregation));
        Assert.Equal(("Disabled", "All"), (felix.Spec.NftablesMode, felix.Spec.NftablesFlowTableOffload));
        Assert.False(ipam.Spec.AutoAllocateBlocks);
    }

    [Fact]
    public void Block_affinity_deleted_reads_calicos_older_string_form_and_is_written_as_a_boolean()
    {
        static string Affinity(string deleted) => $"apiVersion: projectcalico.org/v3\nkind: BlockAffinity\nmetadata:\n  name: a\nspec:\n  state: confirmed\n  node: n1\n  cidr: 10.0.0.0/26\n  deleted: {deleted}\n";

        var affinity = Assert.IsType<BlockAffinity>(Assert.Single(ManifestFiles.ReadValidText(Affinity("\"false\""), "a.yaml")));

        Assert.False(affinity.Spec.Deleted.Value);
        Assert.Contains("  deleted: false\n", ResourceWriter.Write(affinity, ResourceFormat.Yaml), StringComparison.Ordinal);
        Assert.Equal(["a.yaml:9: spec.deleted: cannot be set to true"], ManifestFiles.Errors(Affinity("\"true\""), "a.yaml"));
        Assert.Equal(["a.yaml:9: spec.deleted: expected true or false, got \"maybe\""], ManifestFiles.Errors(Affinity("\"maybe\""), "a.yaml"));
    }

    [Fact]
    public void IPv6_pool_defaults_to_block_size_122()
    {
        var pool = Assert.IsType<IPPool>(Assert.Single(ManifestFiles.ReadValidText("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p6\nspec:\n  cidr: fd00::/48\n", "p.yaml")));

        Assert.Equal(122, pool.Spec.BlockSize);
    }

    [Fact]
    public void Pool_cidr_is_normalised_as_calico_stores_it()
    {
        var pool = Assert.IsType<IPPool>(Assert.Single(ManifestFiles.ReadValidText("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p6\nspec:\n  cidr: FD00:0:0:0::/48\n", "p.yaml")));

        Assert.Equal("fd00::/48", pool.Spec.Cidr);
    }

    [Fact]
    public void Policy_types_are_inferred_as_calico_does()
    {
        static List<string>? Types(string rules) => Assert.IsType<GlobalNetworkPolicy>(Assert.Single(ManifestFiles.ReadValidText(
            $"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: g\nspec:\n{rules}", "g.yaml"))).Spec.Types;

        Assert.Equal(["Ingress"], Types("  selector: all()\n"));
        Assert.Equal(["Ingress"], Types("  ingress:\n  - action: Allow\n"));
        Assert.Equal(["Egress"], Types("  egress:\n  - action: Allow\n"));
        Assert.Equal(["Ingress", "Egress"], Types("  egress:\n  - action: Allow\n  ingress:\n  - action: Deny\n"));
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted()
    {
        var set = new GlobalNetworkSet { Metadata = { Name = "s", Labels = new() { ["version"] = "1.0", ["enabled"] = "true", ["n"] = "no", ["empty"] = "" } } };

        var yaml = ResourceWriter.ToYaml(set);

        Assert.Contains("empty: \"\"", yaml, StringComparison.Ordinal);
        Assert.Contains("enabled: \"true\"", yaml, StringComparison.Ordinal);
        Assert.Contains("\"n\": \"no\"", yaml, StringComparison.Ordinal);
        Assert.Contains("version: \"1.0\"", yaml, StringComparison.Ordinal);
        var back = Assert.Single(ManifestFiles.ReadValidText(yaml, "s.yaml"));
        Assert.True(ResourceEquality.AreEqual(set, back));
    }

    [Fact]
    public void Map_keys_are_sorted_and_json_is_compact_for_storage()
    {
        var set = new GlobalNetworkSet { Metadata = { Name = "s", Labels = new() { ["zone"] = "b", ["app"] = "a" } }, Spec = { Nets = ["10.0.0.0/8"] } };

        Assert.Equal(
            """{"apiVersion":"projectcalico.org/v3","kind":"GlobalNetworkSet","metadata":{"name":"s","labels":{"app":"a","zone":"b"}},"spec":{"nets":["10.0.0.0/8"]}}""",
            ResourceWriter.ToCanonicalJson(set));
    }

    [Fact]
    public void Several_resources_are_documents_in_yaml_and_a_list_in_json()
    {
        IResource[] resources = [new Tier { Metadata = { Name = "a" } }, new Tier { Metadata = { Name = "b" } }];

        var yaml = ResourceWriter.Write(resources, ResourceFormat.Yaml);
        var json = ResourceWriter.Write(resources, ResourceFormat.Json);

        Assert.Contains("\n---\n", yaml, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"List\"", json, StringComparison.Ordinal);
        Assert.Equal(2, ManifestFiles.ReadValidText(yaml, "t.yaml").Count);
        Assert.Equal(2, ManifestFiles.ReadValidText(json, "t.json").Count);
    }

    [Fact]
    public void Empty_spec_is_still_written()
    {
        Assert.Equal("apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec: {}\n",
            ResourceWriter.ToYaml(new FelixConfiguration { Metadata = { Name = "default" } }));
    }
}
