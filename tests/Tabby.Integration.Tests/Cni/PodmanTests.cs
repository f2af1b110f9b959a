using System.Net;
using System.Text.Json.Nodes;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;
using Tabby.Lab.Podman;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Cni;

/// <summary>podman as a real CNI client of the published plugins, in a lab host namespace with storage of its own.</summary>
public sealed class PodmanTests
{
    private static PodmanRuntime Podman(CniTestBed bed)
    {
        var podman = PodmanRuntime.Create(bed.HostNamespace.Name!, Path.Combine(bed.Directory, "podman"), CniPluginBinaries.Directory());
        try
        {
            var plugin = bed.Conf();
            plugin.Remove("cniVersion");
            plugin.Remove("name");
            plugin["capabilities"] = new JsonObject { ["ips"] = true };
            podman.AddNetwork(bed.Network, new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = bed.Network, ["plugins"] = new JsonArray(plugin) }.ToJsonString());
            podman.ImportBusybox();
            return podman;
        }
        catch
        {
            podman.Dispose();
            throw;
        }
    }

    [Fact]
    public async Task Two_containers_get_addresses_and_interfaces_through_the_plugin_and_rm_takes_one_away_again()
    {
        await using var bed = await CniTestBed.CreateAsync();
        using var podman = Podman(bed);

        var ids = new[] { podman.RunContainer("c1", bed.Network), podman.RunContainer("c2", bed.Network) };

        var addresses = new List<string>();
        using (var host = bed.HostNetlink())
        {
            foreach (var (name, id) in new[] { ("c1", ids[0]), ("c2", ids[1]) })
            {
                var endpoint = await bed.EndpointAsync(bed.EndpointName(id));
                Assert.NotNull(endpoint);
                var address = Assert.Single(endpoint.Spec.IpNetworks!);
                Assert.True(IpPrefix.Parse(CniTestBed.Pool4).Contains(IpPrefix.Parse(address)));
                Assert.Equal([address], await bed.AddressesOfAsync(id));
                Assert.Equal(InterfaceNames.ForWorkload(id), endpoint.Spec.InterfaceName);
                var hostSide = host.Links.GetRequired(endpoint.Spec.InterfaceName!);
                Assert.Equal(MacAddress.HostSideWorkload, hostSide.Mac);

                using var inside = CniTestBed.ContainerNetlink(podman.SandboxOf(name));
                var eth0 = inside.Links.GetRequired("eth0");
                Assert.Equal(endpoint.Spec.Mac, eth0.Mac.ToString());
                Assert.Equal(hostSide.Index, eth0.ParentIndex);
                Assert.Contains(inside.Addresses.List(eth0.Index), a => IpPrefix.Host(a.Address).ToString() == address);
                Assert.Contains(inside.Routes.List(RouteFilter.MainTable), r => r.Destination.Length == 0 && IPAddress.Parse("169.254.1.1").Equals(r.Gateway));
                // And as the container itself sees it.
                Assert.Contains(address.Split('/')[0], podman.Exec(name, "ip", "-4", "addr", "show", "eth0"), StringComparison.Ordinal);
                addresses.Add(address);
            }
        }
        Assert.NotEqual(addresses[0], addresses[1]);

        podman.Remove("c1");

        Assert.Null(await bed.EndpointAsync(bed.EndpointName(ids[0])));
        Assert.Empty(await bed.AddressesOfAsync(ids[0]));
        using (var host = bed.HostNetlink())
        {
            Assert.Null(host.Links.Get(InterfaceNames.ForWorkload(ids[0])));
            Assert.NotNull(host.Links.Get(InterfaceNames.ForWorkload(ids[1])));
        }
        Assert.NotNull(await bed.EndpointAsync(bed.EndpointName(ids[1])));
    }

    [Fact]
    public async Task A_static_ip_from_podman_reaches_tabby_ipam_through_cni_args()
    {
        await using var bed = await CniTestBed.CreateAsync();
        using var podman = Podman(bed);

        var id = podman.RunContainer("fixed", bed.Network, ip: "10.96.201.9");

        Assert.Equal(["10.96.201.9/32"], (await bed.EndpointAsync(bed.EndpointName(id)))!.Spec.IpNetworks);
        Assert.Equal(["10.96.201.9/32"], await bed.AddressesOfAsync(id));
    }
}
