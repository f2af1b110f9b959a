using Tabby.Cni.Workloads;

namespace Tabby.Cni.Tests.Workloads;

public sealed class WorkloadEndpointNamesTests
{
    [Theory]
    [InlineData("node1", "k8s", "mypod-1", "eth0", "node1-k8s-mypod--1-eth0")]
    [InlineData("node-a.example", "cni", "0123abc", "eth0", "node--a.example-cni-0123abc-eth0")]
    [InlineData("n", "k8s", "a--b", "net-1", "n-k8s-a----b-net--1")]
    public void Segments_are_joined_with_their_dashes_doubled_and_split_back(string node, string orchestrator, string workload, string endpoint, string name)
    {
        Assert.Equal(name, WorkloadEndpointNames.TryBuild([("node", node), ("orchestrator", orchestrator), ("workload", workload), ("endpoint", endpoint)], out var problem));
        Assert.Null(problem);
        Assert.Equal([node, orchestrator, workload, endpoint], WorkloadEndpointNames.Split(name, 4));
    }

    [Fact]
    public void A_name_with_another_number_of_segments_does_not_split()
    {
        Assert.Null(WorkloadEndpointNames.Split("node1-k8s-pod", 4));
    }

    [Fact]
    public void An_empty_segment_is_refused()
    {
        Assert.Null(WorkloadEndpointNames.TryBuild([("node", "")], out var problem));
        Assert.Equal("node should be assigned", problem);
    }
}
