using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Lab.Cluster;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>A BGPFilter on a BGPPeer changes what real agents announce to each other, live.</summary>
public sealed class BgpFilterTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_export_filter_keeps_a_block_from_the_peer_and_deleting_the_filter_brings_it_back_without_a_session_reset()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "bgpfilter" });
        await LabAssert.AllReachAsync(lab, s_wait);
        var (host0, host1) = (lab.Host("host0"), lab.Host("host1"));
        var block0 = IpPrefix.Parse(Assert.Single((await host0.Agent.StatusAsync()).Blocks));
        var block1 = IpPrefix.Parse(Assert.Single((await host1.Agent.StatusAsync()).Blocks));
        await using var store = lab.OpenDatastore();
        var resources = new ResourceClient(store);

        // The mesh replaced by an explicit all-to-all BGPPeer, which (unlike the mesh) can carry filters.
        await resources.CreateAsync(new BGPFilter
        {
            Metadata = { Name = "keep-host1-block" },
            Spec = new BGPFilterSpec { ExportV4 = [new BGPFilterRule { Action = "Reject", Cidr = block1.ToString(), MatchOperator = "Equal" }] },
        });
        await resources.CreateAsync(new BGPPeer
        {
            Metadata = { Name = "all-to-all" },
            Spec = new BGPPeerSpec { NodeSelector = "all()", PeerSelector = "all()", Filters = ["keep-host1-block"] },
        });
        await resources.CreateAsync(new BGPConfiguration { Metadata = { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMeshEnabled = false } });

        await LabAssert.WaitAsync(
            () => Task.FromResult(LabAssert.Learned(host1).Any(r => r.Destination == block0) && LabAssert.Learned(host0).Count == 0),
            s_wait, "host1 to learn host0's block and host0 to learn nothing", lab);
        var (w0, w1) = (lab.Workloads.Single(w => w.Host == host0), lab.Workloads.Single(w => w.Host == host1));
        Assert.False(Probes.Ping.Once(w0.Namespace, w1.Address, TimeSpan.FromSeconds(1)).Success);

        var since = Assert.Single((await host0.Agent.StatusAsync()).Peers).Since;

        await resources.DeleteAsync(new ResourceKey(KindRegistry.For<BGPFilter>(), null, "keep-host1-block"));
        await LabAssert.WaitAsync(
            () => Task.FromResult(LabAssert.Learned(host0).Any(r => r.Destination == block1)),
            s_wait, "host0 to learn host1's block once the filter is gone", lab);
        await LabAssert.AllReachAsync(lab, s_wait);
        // Applied to the running session (export again, ROUTE-REFRESH), as BIRD reconfigures a filter: no reset.
        Assert.Equal(since, Assert.Single((await host0.Agent.StatusAsync()).Peers).Since);
    }
}
