using Tabby.Cni.Protocol;
using Tabby.Cni.Workloads;
using Tabby.Core.Naming;

namespace Tabby.Cni.Tests.Workloads;

public sealed class WorkloadIdentityTests
{
    private static CniEnvironment Env(string containerId = "abc-123", string ifName = "eth0", string? args = null)
    {
        var map = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = containerId, ["CNI_NETNS"] = "/run/netns/x", ["CNI_IFNAME"] = ifName, ["CNI_PATH"] = "/p", ["CNI_ARGS"] = args,
        };
        return CniEnvironment.Read(k => map.GetValueOrDefault(k));
    }

    [Fact]
    public void A_plain_container_is_a_cni_workload_in_the_default_namespace_named_as_calico_names_it()
    {
        var identity = WorkloadIdentity.From(Env(), "node-1");

        Assert.Equal("cni", identity.Orchestrator);
        Assert.Equal("default", identity.Namespace);
        Assert.Null(identity.Pod);
        Assert.Equal("node--1-cni-abc--123-eth0", identity.EndpointName);
        Assert.Equal("net1.abc-123", identity.HandleId("net1"));
        Assert.Equal(InterfaceNames.ForWorkload("abc-123"), identity.HostInterface);
    }

    [Fact]
    public void Podmans_container_name_alone_does_not_make_a_pod()
    {
        var identity = WorkloadIdentity.From(Env(args: "IgnoreUnknown=1;K8S_POD_NAME=c1"), "node1");
        Assert.Equal("cni", identity.Orchestrator);
    }

    [Fact]
    public void A_pod_named_in_cni_args_is_a_k8s_workload_with_calicos_hashed_interface_name()
    {
        var identity = WorkloadIdentity.From(Env(args: "K8S_POD_NAMESPACE=prod;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=abc-123"), "node1");

        Assert.Equal("k8s", identity.Orchestrator);
        Assert.Equal("prod", identity.Namespace);
        Assert.Equal("web-1", identity.Pod);
        Assert.Equal("node1-k8s-web--1-eth0", identity.EndpointName);
        Assert.Equal("prod.web-1", identity.WorkloadId);
        Assert.Equal(InterfaceNames.ForWorkload("prod.web-1"), identity.HostInterface);
        Assert.Equal("net1.abc-123", identity.HandleId("net1")); // the handle is per container, not per pod
    }

    [Fact]
    public void A_second_interface_hashes_its_name_in_so_two_attachments_never_share_a_host_interface()
    {
        var first = WorkloadIdentity.From(Env(ifName: "eth0"), "node1");
        var second = WorkloadIdentity.From(Env(ifName: "net1"), "node1");
        Assert.NotEqual(first.HostInterface, second.HostInterface);
        Assert.Equal("node1-cni-abc--123-net1", second.EndpointName);
    }

    [Fact]
    public void A_segment_ending_in_a_dash_cannot_form_an_endpoint_name()
    {
        var e = Assert.Throws<CniException>(() => WorkloadIdentity.From(Env(containerId: "abc-"), "node1"));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_CONTAINERID 'abc-' must not begin or end with a '-'", e.Message, StringComparison.Ordinal);

        var node = Assert.Throws<CniException>(() => WorkloadIdentity.From(Env(), "node-"));
        Assert.Equal(CniErrorCode.InvalidConfig, node.Code);
    }
}
