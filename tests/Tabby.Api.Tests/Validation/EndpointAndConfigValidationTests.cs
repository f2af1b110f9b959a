namespace Tabby.Api.Tests.Validation;

/// <summary>Host and workload endpoints, nodes, Felix configuration and the IPAM objects.</summary>
public class EndpointAndConfigValidationTests
{
    private static string[] Errors(string kind, string spec, string name = "x", string source = "r.yaml") => ManifestFiles.Errors($"""
        apiVersion: projectcalico.org/v3
        kind: {kind}
        metadata:
          name: {name}
        spec:
        {spec}
        """, source);

    [Fact]
    public void Host_endpoint_needs_an_interface_or_expected_ips()
    {
        Assert.Equal(["r.yaml:5: spec: at least one of interfaceName or expectedIPs must be specified"], Errors("HostEndpoint", "  node: host1"));
        Assert.Equal(["r.yaml:5: spec.node: node must be specified"], Errors("HostEndpoint", "  interfaceName: eth0"));
    }

    [Fact]
    public void Host_endpoint_fields_are_checked()
    {
        Assert.Equal(
        [
            "r.yaml:7: spec.interfaceName: 'this-name-is-too-long0' is not a valid interface name",
            "r.yaml:8: spec.expectedIPs[0]: '10.0.0.256' is not an IP address",
            "r.yaml:10: spec.ports[0].name: 'Web' is not a valid port name: 1-15 lower case letters, digits and '-', with at least one letter",
            "r.yaml:11: spec.ports[0].protocol: 'ICMP' is not TCP, UDP or SCTP",
            "r.yaml:12: spec.ports[0].port: 0 is out of range 1-65535",
        ], Errors("HostEndpoint", "  node: host1\n  interfaceName: this-name-is-too-long0\n  expectedIPs: [10.0.0.256]\n  ports:\n  - name: Web\n    protocol: ICMP\n    port: 0"));
    }

    [Fact]
    public void Workload_endpoint_fields_are_checked()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: WorkloadEndpoint\nmetadata:\n  name: w\n  namespace: ns1\nspec:\n  interfaceName: cali1\n  mac: not-a-mac\n  ipNetworks: [10.0.0.1/24]\n";

        Assert.Equal(
        [
            "wep.yaml:8: spec.mac: 'not-a-mac' is not a MAC address",
            "wep.yaml:9: spec.ipNetworks[0]: '10.0.0.1/24' has host bits set; the network is 10.0.0.0/24",
        ], ManifestFiles.Errors(text, "wep.yaml"));
    }

    [Fact]
    public void Node_addresses_keep_their_prefix_length()
    {
        Assert.Empty(Errors("Node", "  bgp:\n    ipv4Address: 192.168.0.11/24"));
        Assert.Equal(["r.yaml:7: spec.bgp.ipv4Address: 'fd00::1/64' is not an IPv4 address with an optional /prefix length"], Errors("Node", "  bgp:\n    ipv4Address: fd00::1/64"));
    }

    [Fact]
    public void Felix_durations_enums_and_ranges_are_checked()
    {
        Assert.Equal(
        [
            "felix.yaml:6: spec.routeRefreshInterval: '90 seconds' is not a duration (e.g. 90s, 1m30s, 250ms)",
            "felix.yaml:7: spec.iptablesBackend: 'nftables' is not one of Auto, Legacy, NFT",
            "felix.yaml:8: spec.healthPort: 0 is out of range 1-65535",
            "felix.yaml:9: spec.bpfEnable: unknown field",
            "felix.yaml:10: spec.routeTableRange: must be a range of route table indices within 1..250",
            "felix.yaml:14: spec.failsafeInboundHostPorts[0].protocol: 'icmp' is not one of TCP, UDP, SCTP",
        ], Errors("FelixConfiguration", "  routeRefreshInterval: 90 seconds\n  iptablesBackend: nftables\n  healthPort: 0\n  bpfEnable: true\n  routeTableRange:\n    min: 200\n    max: 100\n  failsafeInboundHostPorts:\n  - protocol: icmp\n    port: 0", name: "default", source: "felix.yaml"));
    }

    [Fact]
    public void Felix_fields_of_current_calico_are_checked_as_its_crd_checks_them()
    {
        Assert.Equal(
        [
            "felix.yaml:6: spec.logActionRateLimit: '10/week' is not a rate such as 10/second (1-9999 per second, minute, hour or day)",
            "felix.yaml:7: spec.logActionRateLimitBurst: 10000 is out of range 0-9999",
            "felix.yaml:8: spec.nftablesFlowTableOffload: Unsupported value: \"Some\": supported values: \"All\", \"Disabled\"",
            "felix.yaml:9: spec.bpfMaglevMaxServices: 0 is out of range 1-3000",
            "felix.yaml:10: spec.localSubnetL2Reachability: Unsupported value: \"All\": supported values: \"Disabled\", \"PodsAndLoadBalancers\"",
            "felix.yaml:11: spec.bpfIPFragTimeout: '30' is not a duration (e.g. 90s, 1m30s, 250ms)",
            "felix.yaml:12: spec.istioDSCPMark: 256 is not a DSCP value (0-63 or a name such as EF or AF11)",
        ], Errors("FelixConfiguration", "  logActionRateLimit: 10/week\n  logActionRateLimitBurst: 10000\n  nftablesFlowTableOffload: Some\n  bpfMaglevMaxServices: 0\n  localSubnetL2Reachability: All\n  bpfIPFragTimeout: 30\n  istioDSCPMark: 256", name: "default", source: "felix.yaml"));
    }

    [Fact]
    public void Felix_empty_failsafe_list_is_kept_because_it_means_none()
    {
        var text = "apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n  failsafeInboundHostPorts: []\n";
        var felix = Assert.Single(ManifestFiles.ReadValidText(text, "f.yaml"));

        Assert.Contains("failsafeInboundHostPorts: []", Tabby.Api.Serialization.ResourceWriter.ToYaml(felix), StringComparison.Ordinal);
    }

    [Fact]
    public void IPAM_objects_are_checked()
    {
        Assert.Equal(["r.yaml:4: metadata.name: the IPAMConfiguration must be named 'default'"], Errors("IPAMConfiguration", "  strictAffinity: true", name: "other"));
        Assert.Equal(
        [
            "r.yaml:6: spec.cidr: '10.0.0.1/30' has host bits set; the network is 10.0.0.0/30",
            "r.yaml:7: spec.affinity: 'node1' is not host:<node> or virtual:<node>",
        ], Errors("IPAMBlock", "  cidr: 10.0.0.1/30\n  affinity: node1\n  allocations: [null, null, null, null]"));
        Assert.Equal(
        [
            "r.yaml:6: spec.ipCooldownSeconds: 1201 is out of range 0-1200",
            "r.yaml:7: spec.kubeVirtVMAddressPersistence: Unsupported value: \"Yes\": supported values: \"Enabled\", \"Disabled\"",
        ], Errors("IPAMConfiguration", "  ipCooldownSeconds: 1201\n  kubeVirtVMAddressPersistence: Yes", name: "default"));
        Assert.Equal(["r.yaml:6: spec.state: 'claimed' is not one of confirmed, pending, pendingDeletion, "],
            Errors("BlockAffinity", "  state: claimed\n  node: n1\n  cidr: 10.0.0.0/26"));
    }
}
