using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Serialization;

public class ResourceClonerTests
{
    [Fact]
    public void Clone_is_equal_but_shares_nothing()
    {
        var policy = Assert.IsType<GlobalNetworkPolicy>(ManifestFiles.ReadValid("policies.yaml")[3]);

        var copy = ResourceCloner.Clone(policy);
        copy.Spec.Ingress![0].Source!.Nets![0] = "192.0.2.0/24";

        Assert.NotEqual("192.0.2.0/24", policy.Spec.Ingress![0].Source!.Nets![0]);
        Assert.True(ResourceEquality.AreEqual(policy, ResourceCloner.Clone(policy)));
    }

    [Fact]
    public void Exported_kubernetes_metadata_is_kept()
    {
        var text = """
            apiVersion: projectcalico.org/v3
            kind: Tier
            metadata:
              name: t
              uid: 7b1c4bde-6f5e-4f0a-9d0e-1f2a3b4c5d6e
              resourceVersion: "88"
              creationTimestamp: "2024-05-01T10:00:00Z"
              generation: 2
              managedFields:
              - manager: calicoctl
                operation: Update
                fieldsV1:
                  f:spec:
                    f:order: {}
            spec:
              order: 100
            """;

        var tier = Assert.Single(ManifestFiles.ReadValidText(text, "t.yaml"));

        ManifestFiles.AssertRoundTrips([tier]);
        Assert.Contains("manager: calicoctl", ResourceWriter.ToYaml(tier), StringComparison.Ordinal);
    }
}
