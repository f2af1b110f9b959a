using System.Net;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;
using Tabby.Cni.Workloads;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Tests.Workloads;

public sealed class EndpointFactoryTests
{
    private static readonly NetConf s_conf = new()
    {
        Version = CniVersion.V1_0_0, Name = "net1", Type = "tabby", Datastore = "sqlite:/x",
        Labels = new Dictionary<string, string> { ["app"] = "web" },
    };

    private static WorkloadIdentity Identity(bool pod) => new()
    {
        Node = "node1",
        Orchestrator = pod ? WorkloadIdentity.Kubernetes : WorkloadIdentity.Cni,
        Namespace = pod ? "prod" : "default",
        Pod = pod ? "web-1" : null,
        ContainerId = "c1",
        Endpoint = "eth0",
        EndpointName = pod ? "node1-k8s-web--1-eth0" : "node1-cni-c1-eth0",
    };

    [Fact]
    public void A_cni_endpoint_carries_calicos_labels_the_network_profile_and_what_add_built()
    {
        var endpoint = EndpointFactory.Build(Identity(pod: false), s_conf, "cali0123456789a", "02:00:00:00:00:01", [IpPrefix.Host(IPAddress.Parse("10.1.0.5"))]);

        Assert.Equal("node1-cni-c1-eth0", endpoint.Metadata.Name);
        Assert.Equal("default", endpoint.Metadata.Namespace);
        Assert.Equal("default", endpoint.Metadata.Labels!["projectcalico.org/namespace"]);
        Assert.Equal("cni", endpoint.Metadata.Labels["projectcalico.org/orchestrator"]);
        Assert.Equal("web", endpoint.Metadata.Labels["app"]);
        Assert.Equal("net1", endpoint.Metadata.Annotations![EndpointFactory.NetworkAnnotation]);
        Assert.Equal(["net1"], endpoint.Spec.Profiles);
        Assert.Equal("cni", endpoint.Spec.Orchestrator);
        Assert.Equal("node1", endpoint.Spec.Node);
        Assert.Equal("c1", endpoint.Spec.ContainerId);
        Assert.Equal("eth0", endpoint.Spec.Endpoint);
        Assert.Null(endpoint.Spec.Pod);
        Assert.Equal("cali0123456789a", endpoint.Spec.InterfaceName);
        Assert.Equal("02:00:00:00:00:01", endpoint.Spec.Mac);
        Assert.Equal(["10.1.0.5/32"], endpoint.Spec.IpNetworks);
        EndpointFactory.EnsureValid(endpoint, "WorkloadEndpoint");
    }

    [Fact]
    public void A_pod_endpoint_gets_its_namespace_profile()
    {
        var endpoint = EndpointFactory.Build(Identity(pod: true), s_conf, "cali0123456789a", null, []);
        Assert.Equal(["kns.prod"], endpoint.Spec.Profiles);
        Assert.Equal("web-1", endpoint.Spec.Pod);
        Assert.Equal("k8s", endpoint.Metadata.Labels!["projectcalico.org/orchestrator"]);
    }

    [Fact]
    public void The_network_profile_lets_members_in_and_everything_out()
    {
        var profile = EndpointFactory.NetworkProfile("net1");
        Assert.Equal("has(net1)", profile.Spec.Ingress![0].Source!.Selector);
        Assert.Equal("Allow", profile.Spec.Egress![0].Action);
        Assert.Equal("", profile.Spec.LabelsToApply!["net1"]);
        EndpointFactory.EnsureValid(profile, "Profile");
    }

    [Fact]
    public void An_endpoint_calico_would_refuse_is_an_invalid_configuration_listing_the_fields()
    {
        var bad = Identity(pod: false) with { Node = "Node_1", EndpointName = "Node_1-cni-c1-eth0" };
        var e = Assert.Throws<CniException>(() => EndpointFactory.EnsureValid(EndpointFactory.Build(bad, s_conf, "cali0123456789a", null, []), "WorkloadEndpoint"));
        Assert.Equal(CniErrorCode.InvalidConfig, e.Code);
        Assert.Contains("spec.node", e.Details, StringComparison.Ordinal);
    }
}
