namespace Tabby.Api.Tests.Validation;

/// <summary>BGP resources: mutually exclusive peer fields, AS numbers, filters, communities.</summary>
public class BgpValidationTests
{
    private static string[] Errors(string kind, string spec, string name = "x") => ManifestFiles.Errors($"""
        apiVersion: projectcalico.org/v3
        kind: {kind}
        metadata:
          name: {name}
        spec:
        {spec}
        """, "bgp.yaml");

    [Fact]
    public void Node_and_node_selector_are_exclusive()
    {
        Assert.Equal(["bgp.yaml:6: spec.node: node and nodeSelector cannot both be set"],
            Errors("BGPPeer", "  node: host1\n  nodeSelector: all()\n  peerIP: 10.0.0.1\n  asNumber: 64512"));
    }

    [Fact]
    public void Peer_ip_and_peer_selector_are_exclusive_and_selector_peers_take_no_AS()
    {
        Assert.Equal(
        [
            "bgp.yaml:6: spec.peerIP: peerIP and peerSelector cannot both be set",
            "bgp.yaml:8: spec.asNumber: asNumber must be empty when peerSelector is set",
        ], Errors("BGPPeer", "  peerIP: 10.0.0.1\n  peerSelector: rr == 'true'\n  asNumber: 64512"));
    }

    [Fact]
    public void Local_workload_peers_need_an_AS_and_no_remote_peer()
    {
        Assert.Equal(
        [
            "bgp.yaml:5: spec.asNumber: asNumber is required when localWorkloadSelector is set",
            "bgp.yaml:7: spec.peerIP: peerIP must be empty when localWorkloadSelector is set",
        ], Errors("BGPPeer", "  localWorkloadSelector: color == 'red'\n  peerIP: 10.0.0.1"));
    }

    [Fact]
    public void Reachable_by_needs_a_peer_of_the_same_family()
    {
        Assert.Equal(["bgp.yaml:8: spec.reachableBy: reachableBy and peerIP must be of the same address family"],
            Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 64512\n  reachableBy: fd00::1"));
        Assert.Equal(["bgp.yaml:6: spec.reachableBy: reachableBy must be empty when peerIP is empty"],
            Errors("BGPPeer", "  reachableBy: 10.0.0.254\n  peerSelector: all()"));
    }

    [Fact]
    public void Peer_ip_may_carry_a_port()
    {
        Assert.Empty(Errors("BGPPeer", "  peerIP: 10.0.0.1:1790\n  asNumber: 64512"));
        Assert.Empty(Errors("BGPPeer", "  peerIP: '[fd00::1]:1790'\n  asNumber: 64512"));
        Assert.Empty(Errors("BGPPeer", "  peerIP: fd00::1\n  asNumber: 64512"));
        Assert.Equal(["bgp.yaml:6: spec.peerIP: '300.1.1.1' is not an IP address or IP:port"], Errors("BGPPeer", "  peerIP: 300.1.1.1\n  asNumber: 64512"));
        Assert.Equal(["bgp.yaml:6: spec.peerIP: '0' is not a port number 1-65535"], Errors("BGPPeer", "  peerIP: 10.0.0.1:0\n  asNumber: 64512"));
    }

    [Fact]
    public void AS_numbers_are_plain_or_dotted()
    {
        Assert.Equal(
            ["bgp.yaml:7: spec.asNumber: '65536.1' is not an AS number (expected 0-4294967295 or X.Y with X and Y in 0-65535)"],
            Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 65536.1"));
        Assert.Equal(
            ["bgp.yaml:7: spec.asNumber: '4294967296' is not an AS number (expected 0-4294967295 or X.Y with X and Y in 0-65535)"],
            Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 4294967296"));
    }

    [Fact]
    public void Dotted_AS_number_is_stored_as_its_32_bit_value()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerIP: 10.0.0.1\n  asNumber: \"65000.1\"\n";
        var peer = Assert.IsType<Tabby.Api.Resources.BGPPeer>(Assert.Single(ManifestFiles.ReadValidText(text, "p.yaml")));

        Assert.Equal((65000u << 16) | 1, peer.Spec.AsNumber!.Value.Value);
        Assert.Contains("asNumber: 4259840001", Tabby.Api.Serialization.ResourceWriter.ToYaml(peer), StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_enums_are_checked()
    {
        Assert.Equal(
        [
            "bgp.yaml:8: spec.sourceAddress: 'NodeIP' is not one of UseNodeIP, None",
            "bgp.yaml:9: spec.maxRestartTime: '2 minutes' is not a duration (e.g. 90s, 1m30s, 250ms)",
        ], Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 1\n  sourceAddress: NodeIP\n  maxRestartTime: 2 minutes"));
    }

    [Fact]
    public void Password_secret_needs_a_key_but_not_a_name_as_kubernetes_defaults_it()
    {
        Assert.Empty(Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 1\n  password:\n    secretKeyRef: {key: bgp-password}"));
        Assert.Equal(
        [
            "bgp.yaml:9: spec.password.secretKeyRef.key: required",
            "bgp.yaml:10: spec.keepaliveTime: '20' is not a duration (e.g. 90s, 1m30s, 250ms)",
            "bgp.yaml:11: spec.reversePeering: Unsupported value: \"Never\": supported values: \"Auto\", \"Manual\"",
        ], Errors("BGPPeer", "  peerIP: 10.0.0.1\n  asNumber: 1\n  password:\n    secretKeyRef: {name: secrets}\n  keepaliveTime: 20\n  reversePeering: Never"));
    }

    [Fact]
    public void Filter_rules_need_cidr_and_operator_together_and_the_right_family()
    {
        Assert.Equal(
        [
            "bgp.yaml:7: spec.exportV4[0].matchOperator: cidr and matchOperator must both be set or both be empty",
            "bgp.yaml:9: spec.exportV4[1].action: 'Allow' is not one of Accept, Reject",
            "bgp.yaml:10: spec.exportV4[1].cidr: 'fd00::/64' is not an IPv4 CIDR",
            "bgp.yaml:17: spec.importV6[0].prefixLength.min: 130 is out of range 0-128",
        ], Errors("BGPFilter", "  exportV4:\n  - action: Accept\n    cidr: 10.0.0.0/8\n  - action: Allow\n    cidr: fd00::/64\n    matchOperator: Equal\n  importV6:\n  - action: Reject\n    cidr: fd00::/64\n    matchOperator: In\n    prefixLength:\n      min: 130"));
    }

    [Fact]
    public void Configuration_values_are_checked()
    {
        Assert.Equal(
        [
            "bgp.yaml:6: spec.logSeverityScreen: 'Verbose' is not one of Trace, Debug, Info, Warning, Error, Fatal",
            "bgp.yaml:7: spec.listenPort: 70000 is out of range 1-65535",
            "bgp.yaml:10: spec.communities[0].value: '65536:1' is not a community value aa:nn (16-bit parts) or aa:nn:mm (32-bit parts)",
            "bgp.yaml:13: spec.prefixAdvertisements[0].communities[0]: 'no-such-community': community used is invalid or not defined",
        ], Errors("BGPConfiguration", "  logSeverityScreen: Verbose\n  listenPort: 70000\n  communities:\n  - name: c1\n    value: 65536:1\n  prefixAdvertisements:\n  - cidr: 10.0.0.0/8\n    communities: [no-such-community]", name: "default"));
    }

    [Fact]
    public void Mesh_settings_need_the_mesh_and_communities_need_a_use()
    {
        Assert.Equal(["bgp.yaml:7: spec.nodeMeshMaxRestartTime: nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false"],
            Errors("BGPConfiguration", "  nodeToNodeMeshEnabled: false\n  nodeMeshMaxRestartTime: 120s", name: "default"));
        Assert.Equal(["bgp.yaml:6: spec.communities: communities are defined but not used in prefixAdvertisements"],
            Errors("BGPConfiguration", "  communities:\n  - name: c\n    value: 1:1"));
    }
}
