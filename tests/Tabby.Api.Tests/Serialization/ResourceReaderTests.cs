using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Serialization;

/// <summary>Document-level reading: formats, lists, and errors that are not about one field.</summary>
public class ResourceReaderTests
{
    [Fact]
    public void Json_errors_carry_lines_too()
    {
        var json = """
            {
              "apiVersion": "projectcalico.org/v3",
              "kind": "IPPool",
              "metadata": { "name": "p" },
              "spec": {
                "cidr": "10.0.0.0/16",
                "blockSize": 33,
                "blokSize": 24
              }
            }
            """;

        Assert.Equal(
        [
            "pools.json:7: spec.blockSize: 33 is out of range 20-32",
            "pools.json:8: spec.blokSize: unknown field",
        ], ManifestFiles.Errors(json, "pools.json"));
    }

    [Fact]
    public void Json_syntax_error_names_its_line()
    {
        var errors = ManifestFiles.Errors("{\n  \"apiVersion\": \"projectcalico.org/v3\",\n  \"kind\": \"IPPool\"\n  \"metadata\": {}\n}\n", "bad.json");

        var error = Assert.Single(errors);
        Assert.StartsWith("bad.json:4: invalid JSON: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_error_names_its_line()
    {
        var errors = ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: [unclosed\n", "bad.yaml");

        var error = Assert.Single(errors);
        Assert.StartsWith("bad.yaml:", error, StringComparison.Ordinal);
        Assert.Contains("invalid YAML: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_type_errors()
    {
        Assert.Equal(["a.yaml:2: kind: unknown kind 'IpPool'"], ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: IpPool\nmetadata:\n  name: p\n", "a.yaml"));
        Assert.Equal(["a.yaml:1: apiVersion: 'crd.projectcalico.org/v1' is not supported; use projectcalico.org/v3"],
            ManifestFiles.Errors("apiVersion: crd.projectcalico.org/v1\nkind: Tier\nmetadata:\n  name: t\n", "a.yaml"));
        Assert.Equal(["a.yaml:1: kind: required"], ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nmetadata:\n  name: t\n", "a.yaml"));
        Assert.Equal(["a.yaml:1: a document must be a mapping with apiVersion and kind"], ManifestFiles.Errors("- just\n- a list\n", "a.yaml"));
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var errors = ManifestFiles.Errors("apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: t\nspec:\n  order: 1\n  order: 2\n", "a.yaml");

        Assert.Equal(["a.yaml:7: duplicate key 'order'"], errors);
    }

    [Fact]
    public void Typed_list_refuses_other_kinds()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: Tier\n  metadata:\n    name: t\n";

        Assert.Equal(["a.yaml:5: kind: a IPPoolList cannot hold a Tier"], ManifestFiles.Errors(text, "a.yaml"));
    }

    [Fact]
    public void Empty_documents_are_skipped()
    {
        var resources = ManifestFiles.ReadValidText("---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: t\n---\n---\n", "a.yaml");

        Assert.Equal("t", Assert.Single(resources).Metadata.Name);
    }

    [Fact]
    public void Anchors_and_aliases_resolve()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: s\n  labels: &l\n    role: db\n  annotations: *l\nspec:\n  nets: [10.0.0.0/8]\n";
        var set = Assert.Single(ManifestFiles.ReadValidText(text, "a.yaml"));

        Assert.Equal("db", set.Metadata.Annotations!["role"]);
    }

    [Fact]
    public void Format_is_chosen_by_extension_then_content()
    {
        Assert.Equal(ResourceFormat.Json, ResourceReader.DetectFormat("kind: x", "a.json"));
        Assert.Equal(ResourceFormat.Yaml, ResourceReader.DetectFormat("{}", "a.yml"));
        Assert.Equal(ResourceFormat.Json, ResourceReader.DetectFormat("  {\"kind\": 1}", "-"));
        Assert.Equal(ResourceFormat.Yaml, ResourceReader.DetectFormat("kind: Tier", "-"));
    }

    [Fact]
    public void Stored_json_reads_back_without_defaults()
    {
        var pool = new IPPool { Metadata = { Name = "p", ResourceVersion = "17" }, Spec = { Cidr = "10.0.0.0/16" } };

        var back = Assert.IsType<IPPool>(ResourceReader.FromJson(ResourceWriter.ToCanonicalJson(pool)));

        Assert.Equal(0, back.Spec.BlockSize);
        Assert.Equal("17", back.Metadata.ResourceVersion);
        Assert.True(ResourceEquality.AreEqual(pool, back));
        Assert.Throws<FormatException>(() => ResourceReader.FromJson("{\"apiVersion\":\"projectcalico.org/v3\",\"kind\":\"IPPool\",\"spec\":{\"x\":1}}"));
    }

    [Fact]
    public void Manifests_in_yaml_and_json_read_to_equal_objects()
    {
        var fromYaml = ManifestFiles.ReadValid("policies.yaml")[0];
        var fromJson = ManifestFiles.ReadValid("policy.json")[0];

        // policy.json is the same policy with one more port range.
        var yamlPolicy = Assert.IsType<NetworkPolicy>(fromYaml);
        var jsonPolicy = Assert.IsType<NetworkPolicy>(fromJson);
        Assert.Equal(yamlPolicy.Spec.Selector, jsonPolicy.Spec.Selector);
        Assert.Equal([Port.Single(6379), Port.Range(7000, 7010)], jsonPolicy.Spec.Ingress![0].Destination!.Ports!);
    }
}
