using System.Net;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Lab.Cluster;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>BGP resources changed while the network runs: applied without restarting agents, touching only what they name.</summary>
public sealed class LiveChangeTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_BGPPeer_added_and_removed_live_touches_no_other_session()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 3, WorkloadsPerHost = 1, Purpose = "live" });
        await LabAssert.AllReachAsync(lab, s_wait);
        var host0 = lab.Host("host0");
        var before = (await host0.Agent.StatusAsync()).Peers.ToDictionary(p => p.Address, p => p.Since);
        Assert.Equal(2, before.Count);

        await using var store = lab.OpenDatastore();
        var resources = new ResourceClient(store);
        await resources.CreateAsync(new BGPPeer
        {
            Metadata = { Name = "tor-for-host0" },
            Spec = new BGPPeerSpec { Node = "host0", PeerIp = "192.168.0.250", AsNumber = new AsNumber(65250) },
        });
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).Peers.Count == 3, s_wait, "host0 to add the new peer", lab);
        var during = (await host0.Agent.StatusAsync()).Peers;
        Assert.Equal("node specific", during.Single(p => p.Address == "192.168.0.250").Type);
        foreach (var (address, since) in before)
            Assert.Equal(since, during.Single(p => p.Address == address).Since);
        Assert.Equal(2, (await lab.Host("host1").Agent.StatusAsync()).Peers.Count);

        await resources.DeleteAsync(new ResourceKey(KindRegistry.For<BGPPeer>(), null, "tor-for-host0"));
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).Peers.Count == 2, s_wait, "host0 to drop the peer", lab);
        foreach (var (address, since) in before)
            Assert.Equal(since, (await host0.Agent.StatusAsync()).Peers.Single(p => p.Address == address).Since);
        await LabAssert.AllReachAsync(lab, s_wait);
    }

    [Fact]
    public async Task Turning_the_mesh_off_withdraws_the_routes_and_turning_it_on_with_a_new_AS_brings_them_back()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "mesh" });
        await LabAssert.AllReachAsync(lab, s_wait);
        await using var store = lab.OpenDatastore();
        var resources = new ResourceClient(store);

        var config = (BGPConfiguration)await resources.CreateAsync(new BGPConfiguration { Metadata = { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMeshEnabled = false } });
        await LabAssert.WaitAsync(() => Task.FromResult(lab.Hosts.All(h => LabAssert.Learned(h).Count == 0)), s_wait, "the learned routes to go", lab);
        // Each agent drops its peers when it sees the change itself: a host whose routes went because the other one
        // sent "Peer De-configured" first may not have yet.
        await LabAssert.WaitAsync(async () =>
        {
            foreach (var host in lab.Hosts)
            {
                if ((await host.Agent.StatusAsync()).Peers.Count > 0)
                    return false;
            }
            return true;
        }, s_wait, "every host to drop its mesh peers", lab);
        var (a, b) = (lab.Workloads[0], lab.Workloads[1]);
        Assert.False(Probes.Ping.Once(a.Namespace, b.Address, TimeSpan.FromSeconds(1)).Success);

        config.Spec.NodeToNodeMeshEnabled = true;
        config.Spec.AsNumber = new AsNumber(65010);
        await resources.UpdateAsync(config);
        await LabAssert.AllReachAsync(lab, s_wait);
        var peer = Assert.Single((await lab.Host("host0").Agent.StatusAsync()).Peers);
        Assert.Equal("up", peer.State);
    }
}
