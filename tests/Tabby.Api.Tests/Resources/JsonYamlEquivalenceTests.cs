using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Resources;

/// <summary>The same manifest in JSON and in YAML reads to equal objects; together the manifests cover every kind.</summary>
public class JsonYamlEquivalenceTests
{
    private static IResource Find(IReadOnlyList<IResource> resources, string kind, string name) =>
        resources.Single(r => r.Kind == kind && r.Metadata.Name == name);

    [Theory]
    [InlineData("BGPPeer", "rack1-tor", "bgp.yaml")]
    [InlineData("HostEndpoint", "some.name", "hostendpoints.yaml")]
    [InlineData("NetworkSet", "external-database", "networksets.yaml")]
    [InlineData("FelixConfiguration", "default", "felix.yaml")]
    public void Json_and_yaml_give_equal_objects(string kind, string name, string yamlFile)
    {
        var fromJson = Find(ManifestFiles.ReadValid("equivalents.json"), kind, name);
        var fromYaml = Find(ManifestFiles.ReadValid(yamlFile), kind, name);

        Assert.True(ResourceEquality.AreEqual(fromYaml, fromJson), ResourceWriter.ToYaml(fromYaml) + "\n" + ResourceWriter.ToYaml(fromJson));
        Assert.Equal(ResourceWriter.ToCanonicalJson(fromYaml), ResourceWriter.ToCanonicalJson(fromJson));
    }

    [Fact]
    public void The_manifests_cover_every_registered_kind()
    {
        string[] files = ["ippools.yaml", "bgp.yaml", "policies.yaml", "networksets.yaml", "hostendpoints.yaml", "felix.yaml", "misc.yaml"];

        var kinds = files.SelectMany(ManifestFiles.ReadValid).Select(r => r.Kind).ToHashSet();

        Assert.Equal(KindRegistry.All.Select(k => k.Kind).Order(), kinds.Order());
    }

    [Fact]
    public void Awkward_strings_survive_yaml_and_json()
    {
        var set = new GlobalNetworkSet
        {
            Metadata =
            {
                Name = "awkward",
                Annotations = new()
                {
                    ["colon"] = "a: b",
                    ["hash"] = "x # y",
                    ["star"] = "*alias",
                    ["multi"] = "line one\nline two\n",
                    ["quote"] = "it's \"quoted\"",
                    ["unicode"] = "café ✓",
                    ["dash"] = "- item",
                    ["braces"] = "{not: a map}",
                },
            },
        };

        ManifestFiles.AssertRoundTrips([set]);
    }
}
