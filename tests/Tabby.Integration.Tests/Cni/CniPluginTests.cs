using System.Net;
using System.Text.Json.Nodes;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Cni;

/// <summary>The published plugins driven as a runtime drives them, against one datastore; subclasses pick SQLite or etcd.</summary>
public abstract class CniPluginTests
{
    /// <summary>The datastore connection string ("{dir}" is the bed's directory).</summary>
    protected abstract string Datastore { get; }

    protected Task<CniTestBed> BedAsync() => CniTestBed.CreateAsync(Datastore);

    [Fact]
    public async Task Add_builds_the_veth_the_container_side_and_the_endpoint_and_reports_them()
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");
        var conf = bed.Conf();
        conf["mtu"] = 1400;

        var outcome = await bed.ExpectSuccessAsync("ADD", conf, "c1", netns);

        var hostName = InterfaceNames.ForWorkload("c1");
        var result = outcome.Json;
        Assert.Equal("1.0.0", result.GetProperty("cniVersion").GetString());
        var interfaces = result.GetProperty("interfaces");
        Assert.Equal(hostName, interfaces[0].GetProperty("name").GetString());
        Assert.Equal("ee:ee:ee:ee:ee:ee", interfaces[0].GetProperty("mac").GetString());
        Assert.Equal("eth0", interfaces[1].GetProperty("name").GetString());
        Assert.Equal(netns, interfaces[1].GetProperty("sandbox").GetString());
        var address = result.GetProperty("ips")[0].GetProperty("address").GetString()!;
        Assert.EndsWith("/32", address, StringComparison.Ordinal);
        Assert.True(IpPrefix.Parse(CniTestBed.Pool4).Contains(IpPrefix.Parse(address)));
        Assert.Equal(1, result.GetProperty("ips")[0].GetProperty("interface").GetInt32());
        Assert.Equal(["169.254.1.1/32", "0.0.0.0/0"], result.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("dst").GetString()));

        // The kernel, read back: the host side exists, up, ee:ee:..., and nothing else is done on the host.
        using (var host = bed.HostNetlink())
        {
            var link = host.Links.GetRequired(hostName);
            Assert.Equal("veth", link.Kind);
            Assert.Equal(MacAddress.HostSideWorkload, link.Mac);
            Assert.True(link.IsUp);
            Assert.Equal(1400, link.Mtu);
            Assert.DoesNotContain(host.Routes.List(RouteFilter.MainTable), r => r.InterfaceIndex == link.Index && r.Destination.IsHost);
        }
        var mac = interfaces[1].GetProperty("mac").GetString()!;
        using (var inside = CniTestBed.ContainerNetlink(netns))
        {
            var eth0 = inside.Links.GetRequired("eth0");
            Assert.True(eth0.IsUp);
            Assert.Equal(1400, eth0.Mtu);
            Assert.Equal(mac, eth0.Mac.ToString());
            Assert.Contains(inside.Addresses.List(eth0.Index), a => IpPrefix.Host(a.Address).ToString() == address && a.PrefixLength == 32);
            var routes = inside.Routes.List(RouteFilter.MainTable);
            Assert.Contains(routes, r => r.Destination.ToString() == "169.254.1.1/32" && r.Scope == RouteScope.Link && r.InterfaceIndex == eth0.Index);
            Assert.Contains(routes, r => r.Destination.ToString() == "0.0.0.0/0" && IPAddress.Parse("169.254.1.1").Equals(r.Gateway) && r.InterfaceIndex == eth0.Index);
        }

        // The endpoint, as Calico's plugin writes it.
        var endpoint = await bed.EndpointAsync(bed.EndpointName("c1"));
        Assert.NotNull(endpoint);
        Assert.Equal("cni", endpoint.Spec.Orchestrator);
        Assert.Equal(bed.Node, endpoint.Spec.Node);
        Assert.Equal("c1", endpoint.Spec.ContainerId);
        Assert.Equal("eth0", endpoint.Spec.Endpoint);
        Assert.Equal(hostName, endpoint.Spec.InterfaceName);
        Assert.Equal(mac, endpoint.Spec.Mac);
        Assert.Equal([address], endpoint.Spec.IpNetworks);
        Assert.Equal([bed.Network], endpoint.Spec.Profiles);
        Assert.Equal("default", endpoint.Metadata.Labels!["projectcalico.org/namespace"]);
        Assert.Equal("cni", endpoint.Metadata.Labels["projectcalico.org/orchestrator"]);
        Assert.Equal([address], await bed.AddressesOfAsync("c1"));
    }

    [Fact]
    public async Task Dual_stack_gives_a_128_and_a_default_route_via_the_host_sides_link_local_address()
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");
        var conf = bed.Conf("1.1.0");
        conf["ipam"]!["assign_ipv6"] = "true";

        var result = (await bed.ExpectSuccessAsync("ADD", conf, "c1", netns)).Json;

        var v6 = result.GetProperty("ips")[1].GetProperty("address").GetString()!;
        Assert.EndsWith("/128", v6, StringComparison.Ordinal);
        Assert.True(IpPrefix.Parse(CniTestBed.Pool6).Contains(IpPrefix.Parse(v6)));
        var defaultV6 = result.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("dst").GetString() == "::/0");
        Assert.Equal("fe80::ecee:eeff:feee:eeee", defaultV6.GetProperty("gw").GetString()); // EUI-64 of ee:ee:ee:ee:ee:ee
        Assert.Equal(253, result.GetProperty("routes")[0].GetProperty("scope").GetInt32()); // 1.1.0 carries scope
        using var inside = CniTestBed.ContainerNetlink(netns);
        var eth0 = inside.Links.GetRequired("eth0");
        Assert.Contains(inside.Addresses.List(eth0.Index), a => IpPrefix.Host(a.Address).ToString() == v6);
        Assert.Contains(inside.Routes.List(RouteFilter.MainTable), r => r.Destination.ToString() == "::/0" && IPAddress.Parse("fe80::ecee:eeff:feee:eeee").Equals(r.Gateway));
        Assert.Equal(2, (await bed.EndpointAsync(bed.EndpointName("c1")))!.Spec.IpNetworks!.Count);
    }

    [Fact]
    public async Task Del_removes_the_veth_the_endpoint_and_the_address_and_a_second_del_succeeds()
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");
        var conf = bed.Conf();
        await bed.ExpectSuccessAsync("ADD", conf, "c1", netns);

        await bed.ExpectSuccessAsync("DEL", conf, "c1", netns);

        using (var host = bed.HostNetlink())
            Assert.Null(host.Links.Get(InterfaceNames.ForWorkload("c1")));
        using (var inside = CniTestBed.ContainerNetlink(netns))
            Assert.Null(inside.Links.Get("eth0"));
        Assert.Null(await bed.EndpointAsync(bed.EndpointName("c1")));
        Assert.Empty(await bed.AddressesOfAsync("c1"));

        await bed.ExpectSuccessAsync("DEL", conf, "c1", netns);
        await bed.ExpectSuccessAsync("DEL", conf, "c1", netns: null); // DEL without a namespace (it may be gone)
    }

    [Fact]
    public async Task Del_of_an_attachment_never_added_succeeds()
    {
        await using var bed = await BedAsync();
        await bed.ExpectSuccessAsync("DEL", bed.Conf(), "never-added", bed.Container("c1"));
        await bed.ExpectSuccessAsync("DEL", bed.Conf(), "never-added", "/run/netns/tby-no-such-namespace");
    }

    [Fact]
    public async Task Check_passes_after_add_and_fails_once_a_route_an_address_or_the_endpoint_is_gone()
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");
        var conf = bed.Conf();
        var added = await bed.ExpectSuccessAsync("ADD", conf, "c1", netns);
        var check = bed.Conf();
        check["prevResult"] = JsonNode.Parse(added.Stdout);

        await bed.ExpectSuccessAsync("CHECK", check, "c1", netns);

        using (var inside = CniTestBed.ContainerNetlink(netns))
        {
            var eth0 = inside.Links.GetRequired("eth0");
            inside.Routes.Delete(inside.Routes.List(RouteFilter.MainTable).Single(r => r.Destination.ToString() == "0.0.0.0/0" && r.InterfaceIndex == eth0.Index));
        }
        var routeGone = await bed.ExpectErrorAsync(105, "CHECK", check, "c1", netns);
        Assert.Contains("container route 0.0.0.0/0 via 169.254.1.1 dev eth0 is missing", routeGone.Stdout, StringComparison.Ordinal);

        using (var inside = CniTestBed.ContainerNetlink(netns))
        {
            var eth0 = inside.Links.GetRequired("eth0");
            inside.Addresses.Delete(inside.Addresses.List(eth0.Index).First(a => a.PrefixLength == 32));
        }
        var addressGone = await bed.ExpectErrorAsync(105, "CHECK", check, "c1", netns);
        Assert.Contains("lacks address", addressGone.Stdout, StringComparison.Ordinal);

        await using (var store = bed.OpenStore())
            await store.DeleteAsync($"/calico/resources/v3/projectcalico.org/workloadendpoints/default/{bed.EndpointName("c1")}");
        var endpointGone = await bed.ExpectErrorAsync(105, "CHECK", check, "c1", netns);
        Assert.Contains("does not exist", endpointGone.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_passes_on_to_ipam_which_fails_when_the_address_was_released_behind_its_back()
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");
        var added = await bed.ExpectSuccessAsync("ADD", bed.Conf(), "c1", netns);
        var check = bed.Conf();
        check["prevResult"] = JsonNode.Parse(added.Stdout);
        await using (var store = bed.OpenStore())
            await new Tabby.Ipam.Client.IpamClient(store).ReleaseByHandleAsync($"{bed.Network}.c1");

        var outcome = await bed.ExpectErrorAsync(105, "CHECK", check, "c1", netns);
        Assert.Contains($"IPAM handle {bed.Network}.c1 does not hold", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_removes_endpoints_veths_and_addresses_of_attachments_the_runtime_no_longer_has()
    {
        await using var bed = await BedAsync();
        var conf = bed.Conf("1.1.0");
        foreach (var id in new[] { "keep", "stale1", "stale2" })
            await bed.ExpectSuccessAsync("ADD", conf, id, bed.Container(id));
        var gc = bed.Conf("1.1.0");
        gc["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "keep", ["ifname"] = "eth0" });

        await bed.ExpectSuccessAsync("GC", gc);

        Assert.NotNull(await bed.EndpointAsync(bed.EndpointName("keep")));
        Assert.Single(await bed.AddressesOfAsync("keep"));
        using var host = bed.HostNetlink();
        Assert.NotNull(host.Links.Get(InterfaceNames.ForWorkload("keep")));
        foreach (var id in new[] { "stale1", "stale2" })
        {
            Assert.Null(await bed.EndpointAsync(bed.EndpointName(id)));
            Assert.Empty(await bed.AddressesOfAsync(id));
            Assert.Null(host.Links.Get(InterfaceNames.ForWorkload(id)));
        }
    }

    [Fact]
    public async Task Gc_without_the_attachment_list_refuses_rather_than_collect_everything()
    {
        await using var bed = await BedAsync();
        await bed.ExpectSuccessAsync("ADD", bed.Conf("1.1.0"), "c1", bed.Container("c1"));
        await bed.ExpectErrorAsync(7, "GC", bed.Conf("1.1.0"));
        Assert.Single(await bed.AddressesOfAsync("c1"));
    }

    [Fact]
    public async Task Status_is_ready_with_a_reachable_datastore_and_a_pool()
    {
        await using var bed = await BedAsync();
        await bed.ExpectSuccessAsync("STATUS", bed.Conf("1.1.0"));
    }

    [Theory]
    [InlineData("ipam")]
    [InlineData("veth")]
    [InlineData("endpoint")]
    [InlineData("result")]
    public async Task A_failure_at_any_step_after_allocation_rolls_everything_back(string stage)
    {
        await using var bed = await BedAsync();
        var netns = bed.Container("c1");

        var outcome = await bed.ExpectErrorAsync(100, "ADD", bed.Conf(), "c1", netns, environment: new Dictionary<string, string?> { ["TABBY_CNI_FAULT"] = stage });

        Assert.Equal($"injected fault at {stage}", outcome.ErrorMessage);
        Assert.Empty(await bed.AddressesOfAsync("c1"));
        Assert.Null(await bed.EndpointAsync(bed.EndpointName("c1")));
        using (var host = bed.HostNetlink())
            Assert.DoesNotContain(host.Links.List(), l => l.Name.StartsWith("cali", StringComparison.Ordinal));
        using (var inside = CniTestBed.ContainerNetlink(netns))
            Assert.Null(inside.Links.Get("eth0"));

        // Nothing left behind means a retry simply works.
        await bed.ExpectSuccessAsync("ADD", bed.Conf(), "c1", netns);
    }

    [Fact]
    public async Task Concurrent_adds_and_dels_as_a_runtime_issues_them_all_succeed_with_distinct_addresses()
    {
        await using var bed = await BedAsync();
        var ids = Enumerable.Range(0, 8).Select(i => $"par{i}").ToList();
        var namespaces = ids.ToDictionary(id => id, bed.Container);

        var adds = await Task.WhenAll(ids.Select(id => bed.RunAsync("ADD", bed.Conf(), id, namespaces[id])));

        Assert.All(adds, outcome => Assert.True(outcome.Succeeded, outcome.ToString()));
        var addresses = adds.Select(a => a.Json.GetProperty("ips")[0].GetProperty("address").GetString()).ToList();
        Assert.Equal(ids.Count, addresses.Distinct().Count());

        var dels = await Task.WhenAll(ids.Select(id => bed.RunAsync("DEL", bed.Conf(), id, namespaces[id])));
        Assert.All(dels, outcome => Assert.True(outcome.Succeeded, outcome.ToString()));
        foreach (var id in ids)
            Assert.Empty(await bed.AddressesOfAsync(id));
    }

    [Fact]
    public async Task A_missing_container_namespace_is_unknown_container_and_allocates_nothing()
    {
        await using var bed = await BedAsync();
        var outcome = await bed.ExpectErrorAsync(3, "ADD", bed.Conf(), "c1", "/run/netns/tby-no-such-namespace");
        Assert.Contains("does not exist", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(await bed.AddressesOfAsync("c1"));
    }

    [Fact]
    public async Task A_requested_address_is_assigned_and_one_in_use_is_refused_with_nothing_left_behind()
    {
        await using var bed = await BedAsync();
        var first = bed.Container("c1");
        var second = bed.Container("c2");
        var outcome = await bed.ExpectSuccessAsync("ADD", bed.Conf(), "c1", first, args: "IgnoreUnknown=1;IP=10.96.200.7");
        Assert.Equal("10.96.200.7/32", outcome.Json.GetProperty("ips")[0].GetProperty("address").GetString());

        var conf = bed.Conf();
        conf["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray("10.96.200.7/24") };
        await bed.ExpectErrorAsync(103, "ADD", conf, "c2", second);
        Assert.Empty(await bed.AddressesOfAsync("c2"));
        using var inside = CniTestBed.ContainerNetlink(second);
        Assert.Null(inside.Links.Get("eth0"));
    }

    [Fact]
    public async Task A_pod_gets_calicos_k8s_names_and_an_old_sandboxs_del_keeps_the_new_sandboxs_endpoint()
    {
        await using var bed = await BedAsync();
        const string podArgs = "K8S_POD_NAMESPACE=prod;K8S_POD_NAME=web-1";
        var oldSandbox = bed.Container("old");
        var newSandbox = bed.Container("new");
        var conf = bed.Conf();
        await bed.ExpectSuccessAsync("ADD", conf, "sandbox-old", oldSandbox, args: podArgs + ";K8S_POD_INFRA_CONTAINER_ID=sandbox-old");
        var name = $"{bed.Node.Replace("-", "--", StringComparison.Ordinal)}-k8s-web--1-eth0";
        var endpoint = await bed.EndpointAsync(name, "prod");
        Assert.NotNull(endpoint);
        Assert.Equal(["kns.prod"], endpoint.Spec.Profiles);
        Assert.Equal("web-1", endpoint.Spec.Pod);
        Assert.Equal(InterfaceNames.ForWorkload("prod.web-1"), endpoint.Spec.InterfaceName);

        // The pod's new sandbox takes over the endpoint (and the hashed interface name) before the old one is deleted.
        await bed.ExpectSuccessAsync("ADD", conf, "sandbox-new", newSandbox, args: podArgs);
        await bed.ExpectSuccessAsync("DEL", conf, "sandbox-old", oldSandbox, args: podArgs);

        endpoint = await bed.EndpointAsync(name, "prod");
        Assert.Equal("sandbox-new", endpoint!.Spec.ContainerId);
        Assert.Empty(await bed.AddressesOfAsync("sandbox-old"));
        Assert.Single(await bed.AddressesOfAsync("sandbox-new"));
        using var host = bed.HostNetlink();
        Assert.NotNull(host.Links.Get(InterfaceNames.ForWorkload("prod.web-1")));
        using var inside = CniTestBed.ContainerNetlink(newSandbox);
        Assert.NotNull(inside.Links.Get("eth0"));
    }
}
