using System.Net;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Probes;
using Tabby.Lab.Topology;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Lab;

public sealed class SeedTopologyTests
{
    [Fact]
    public void Seed_topology_built_with_Tabby_Linux_alone_carries_pings_between_workloads_and_hosts()
    {
        using var namespaces = new NamespaceSet("seed");
        using var lab = LabNetwork.Build(LabSpec.Seed, namespaces);
        lab.AddStaticRoutes();
        var from = lab.Workload(IPAddress.Parse("10.20.1.2")).Namespace;

        var remoteWorkload = Ping.Once(from, IPAddress.Parse("10.20.2.2"));
        var remoteHost = Ping.Once(from, IPAddress.Parse("192.168.0.3"));
        var localWorkload = Ping.Once(from, IPAddress.Parse("10.20.1.3"));

        Assert.True(remoteWorkload.Success, remoteWorkload.Output);
        Assert.True(remoteHost.Success, remoteHost.Output);
        Assert.True(localWorkload.Success, localWorkload.Output);
        // Each router on the way takes one off the TTL: host0 and host1 to the remote workload,
        // host0 only to the remote host (which answers itself) and to the local workload.
        Assert.Equal(62, remoteWorkload.Ttl);
        Assert.Equal(63, remoteHost.Ttl);
        Assert.Equal(63, localWorkload.Ttl);
    }

    [Fact]
    public void Seed_hosts_carry_a_scope_link_route_per_workload_and_a_blackhole_for_their_block()
    {
        using var namespaces = new NamespaceSet("seed");
        using var lab = LabNetwork.Build(LabSpec.Seed, namespaces);
        lab.AddStaticRoutes();
        var host0 = lab.Host("host0");

        var ours = host0.Netlink.Routes.List(RouteFilter.Tabby);

        Assert.Contains(ours, r => r.Destination.ToString() == "10.20.1.2/32" && r.Scope == RouteScope.Link);
        Assert.Contains(ours, r => r.Destination.ToString() == "10.20.1.3/32" && r.Scope == RouteScope.Link);
        Assert.Contains(ours, r => r.Destination.ToString() == "10.20.1.0/26" && r.Type == RouteType.Blackhole);
        Assert.Contains(ours, r => r.Destination.ToString() == "10.20.2.0/26" && Equals(r.Gateway, IPAddress.Parse("192.168.0.3")));
        Assert.All(ours, r => Assert.Equal(RouteProtocol.Tabby, r.Protocol));
    }

    [Fact]
    public void Disposing_the_namespace_set_removes_every_namespace_of_the_lab()
    {
        string prefix;
        using (var namespaces = new NamespaceSet("seed"))
        {
            prefix = namespaces.Prefix;
            using var lab = LabNetwork.Build(LabSpec.Seed, namespaces);
            Assert.Equal(6, Tabby.Linux.Netns.NetworkNamespace.ListNamed().Count(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        }
        Assert.DoesNotContain(Tabby.Linux.Netns.NetworkNamespace.ListNamed(), n => n.StartsWith(prefix, StringComparison.Ordinal));
    }
}
