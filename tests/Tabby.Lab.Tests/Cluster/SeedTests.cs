using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>The seed network, as `./run demo` builds it: real agents, the CNI plugin, BGP, no tunnel, no NAT.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task The_seed_network_answers_with_the_seeds_TTLs_over_a_block_route_learned_over_BGP()
    {
        await using var lab = await LabCluster.StartAsync(ClusterSpec.Seed);
        var host0 = lab.Host("host0");
        using var netlink = RtNetlinkClient.Open(host0.Underlay.Namespace);
        await LabAssert.WaitAsync(() => Task.FromResult(netlink.Routes.List(RouteFilter.Tabby).Any(r =>
            r.Destination == IpPrefix.Parse("10.20.2.0/24") && Equals(r.Gateway, IPAddress.Parse("192.168.0.3")))), TimeSpan.FromSeconds(30), "host0 to learn 10.20.2.0/24 via 192.168.0.3", lab);

        var from = lab.Workloads.Single(w => w.Address.Equals(IPAddress.Parse("10.20.1.2"))).Namespace;
        Assert.Equal(62, Ping.Once(from, IPAddress.Parse("10.20.2.2")).Ttl);
        Assert.Equal(63, Ping.Once(from, IPAddress.Parse("192.168.0.3")).Ttl);
        Assert.Equal(63, Ping.Once(from, IPAddress.Parse("10.20.1.3")).Ttl);
        Assert.Equal(["10.20.1.0/24"], (await host0.Agent.StatusAsync()).Blocks);
    }
}
