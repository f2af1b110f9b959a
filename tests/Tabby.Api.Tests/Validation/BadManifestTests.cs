namespace Tabby.Api.Tests.Validation;

/// <summary>Whole bad manifest files are refused with every problem listed as file:line: path: reason.</summary>
public class BadManifestTests
{
    private static string[] ErrorsOf(string file) => ManifestFiles.Errors(ManifestFiles.Text(Path.Combine("Bad", file)), file);

    [Fact]
    public void Bad_pools_yaml()
    {
        Assert.Equal(
        [
            "pools.yaml:9: spec.blokSize: unknown field",
            "pools.yaml:14: spec.blockSize: 33 is out of range 20-32",
        ], ErrorsOf("pools.yaml"));
    }

    [Fact]
    public void Bad_pools_json_list()
    {
        Assert.Equal(
        [
            "pools.json:9: spec.blokSize: unknown field",
            "pools.json:17: spec.blockSize: 33 is out of range 20-32",
        ], ErrorsOf("pools.json"));
    }

    [Fact]
    public void Bad_policy_yaml()
    {
        Assert.Equal(
        [
            "policy.yaml:4: metadata.name: 'Block_Bad' is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit",
            "policy.yaml:4: metadata.name: 'Block_Bad' is not a valid policy name: lower case letters, digits and '-', with at most one '.' (tier.name)",
            "policy.yaml:4: metadata.name: policy name 'Block_Bad' must start with its tier name: 'security.Block_Bad'",
            "policy.yaml:7: spec.order: expected a number, got first",
            "policy.yaml:9: spec.types[1]: 'Sideways' is not one of Ingress, Egress",
            "policy.yaml:11: spec.ingress[0].action: 'Accept' is not one of Allow, Deny, Log, Pass",
            "policy.yaml:13: spec.ingress[0].source.nets[0]: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
            "policy.yaml:15: spec.ingress[0].destination.ports[1]: port range 9000:8000: the minimum is greater than the maximum",
            "policy.yaml:15: spec.ingress[0].destination.ports: rules with numeric port or port range must set protocol to TCP or UDP or SCTP",
            "policy.yaml:19: spec.ingress[1].icmp.code: ICMP code specified without an ICMP type",
            "policy.yaml:23: spec.egress[0].source.services: not allowed in egress rule source",
        ], ErrorsOf("policy.yaml"));
    }

    [Fact]
    public void Bad_bgp_yaml()
    {
        Assert.Equal(
        [
            "bgp.yaml:6: spec.node: node and nodeSelector cannot both be set",
            "bgp.yaml:8: spec.peerIP: peerIP and peerSelector cannot both be set",
            "bgp.yaml:8: spec.peerIP: '10.0.0.300' is not an IP address or IP:port",
            "bgp.yaml:10: spec.asNumber: '65536.1' is not an AS number (expected 0-4294967295 or X.Y with X and Y in 0-65535)",
            "bgp.yaml:16: spec: at least one of interfaceName or expectedIPs must be specified",
            "bgp.yaml:18: spec.profiles[0]: 'Default' is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit",
        ], ErrorsOf("bgp.yaml"));
    }
}
