using System.Text;
using System.Text.Json.Nodes;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;

namespace Tabby.Integration.Tests.Cni;

/// <summary>The protocol around the plugins, on the native binaries: version negotiation, every error path with its code, delegation.</summary>
public sealed class CniProtocolTests
{
    [Theory]
    [InlineData("tabby")]
    [InlineData("tabby-ipam")]
    public async Task Version_answers_under_both_names_with_every_supported_version(string plugin)
    {
        await using var bed = await CniTestBed.CreateAsync(seedPools: false);
        var outcome = await bed.Runtime.RunAsync(new CniInvocation("VERSION", """{"cniVersion":"1.0.0"}""") { Plugin = plugin, IfName = null });

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Equal("1.0.0", outcome.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], outcome.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Results_take_the_shape_of_the_configurations_version()
    {
        await using var bed = await CniTestBed.CreateAsync();
        var old = await bed.ExpectSuccessAsync("ADD", bed.Conf("0.3.1"), "c031", bed.Container("c031"));
        Assert.Equal("0.3.1", old.Json.GetProperty("cniVersion").GetString());
        Assert.Equal("4", old.Json.GetProperty("ips")[0].GetProperty("version").GetString());

        var conf11 = bed.Conf("1.1.0");
        conf11["mtu"] = 1450;
        var current = await bed.ExpectSuccessAsync("ADD", conf11, "c110", bed.Container("c110"));
        Assert.False(current.Json.GetProperty("ips")[0].TryGetProperty("version", out _));
        Assert.Equal(253, current.Json.GetProperty("routes")[0].GetProperty("scope").GetInt32());
        Assert.Equal(1450, current.Json.GetProperty("interfaces")[1].GetProperty("mtu").GetInt32());

        // CHECK exists from 0.4.0 on.
        var check = bed.Conf("0.3.1");
        check["prevResult"] = JsonNode.Parse(old.Stdout);
        await bed.ExpectErrorAsync(1, "CHECK", check, "c031", bed.Container("c031b"));
        var netns = bed.Container("c040");
        var added = await bed.ExpectSuccessAsync("ADD", bed.Conf("0.4.0"), "c040", netns);
        check = bed.Conf("0.4.0");
        check["prevResult"] = JsonNode.Parse(added.Stdout);
        await bed.ExpectSuccessAsync("CHECK", check, "c040", netns);
    }

    [Fact]
    public async Task Environment_errors_are_code_4_and_name_the_variable()
    {
        await using var bed = await CniTestBed.CreateAsync(seedPools: false);
        var conf = bed.Conf().ToJsonString();

        var missing = await bed.Runtime.RunAsync(new CniInvocation("ADD", conf) { ContainerId = "c1", Netns = null });
        Assert.Equal(4, missing.ErrorCode);
        Assert.Equal("required env variables [CNI_NETNS] missing", missing.ErrorMessage);

        var unknown = await bed.Runtime.RunAsync(new CniInvocation("REMOVE", conf) { ContainerId = "c1" });
        Assert.Equal(4, unknown.ErrorCode);

        var badArgs = await bed.Runtime.RunAsync(new CniInvocation("DEL", conf) { ContainerId = "c1", Args = "K8S_POD_NAME" });
        Assert.Equal(4, badArgs.ErrorCode);

        var notANamespace = Path.Combine(bed.Directory, "not-a-netns");
        await File.WriteAllTextAsync(notANamespace, "");
        Assert.Equal(4, (await bed.RunAsync("ADD", bed.Conf(), "c1", notANamespace)).ErrorCode);
        var own = await bed.RunAsync("ADD", bed.Conf(), "c1", bed.HostNamespace.Path);
        Assert.Equal(4, own.ErrorCode);
        Assert.Contains("plugin's own network namespace", own.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_and_invalid_configurations_get_codes_6_1_2_and_7_and_never_a_stack_trace()
    {
        await using var bed = await CniTestBed.CreateAsync(seedPools: false);
        var netns = bed.Container("c1");
        async Task<CniOutcome> Add(string stdin) =>
            await bed.Runtime.RunAsync(new CniInvocation("ADD", stdin) { ContainerId = "c1", Netns = netns, Environment = new Dictionary<string, string?>() });

        var notJson = await Add("{\"cniVersion\": \"1.0.0\", \"name\": ");
        Assert.Equal(6, notJson.ErrorCode);
        Assert.Equal("", notJson.Stderr);
        Assert.DoesNotContain("   at ", notJson.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", notJson.Stdout, StringComparison.Ordinal);

        Assert.Equal(1, (await Add("""{"cniVersion":"2.0.0","name":"n","type":"tabby"}""")).ErrorCode);
        var netkit = bed.Conf();
        netkit["device_type"] = "netkit";
        Assert.Equal(2, (await Add(netkit.ToJsonString())).ErrorCode);
        var mtu = bed.Conf();
        mtu["mtu"] = "big";
        var invalid = await Add(mtu.ToJsonString());
        Assert.Equal(7, invalid.ErrorCode);
        Assert.Equal("mtu: expected an integer, got \"big\"", invalid.ErrorMessage);
        var noIpam = bed.Conf();
        noIpam.Remove("ipam");
        Assert.Equal(7, (await Add(noIpam.ToJsonString())).ErrorCode);
        var badNode = bed.Conf();
        badNode["nodename"] = "Node_One";
        var node = await Add(badNode.ToJsonString());
        Assert.Equal(7, node.ErrorCode);
        Assert.Contains("spec.node", node.Stdout, StringComparison.Ordinal);

        using var inside = CniTestBed.ContainerNetlink(netns);
        Assert.Null(inside.Links.Get("eth0"));
    }

    [Fact]
    public async Task An_interface_that_already_exists_in_the_container_is_refused_before_anything_is_allocated()
    {
        await using var bed = await CniTestBed.CreateAsync();
        var netns = bed.Container("c1");
        await bed.ExpectSuccessAsync("ADD", bed.Conf(), "first", netns);

        await bed.ExpectErrorAsync(101, "ADD", bed.Conf(), "second", netns);

        Assert.Empty(await bed.AddressesOfAsync("second"));
        Assert.Single(await bed.AddressesOfAsync("first"));
    }

    [Fact]
    public async Task Without_a_pool_add_says_no_address_and_status_says_not_available()
    {
        await using var bed = await CniTestBed.CreateAsync(seedPools: false);
        await using (var store = bed.OpenStore())
        {
            // A datastore with something in it, but no IP pool.
            var profile = new Profile();
            profile.Metadata.Name = "unrelated";
            await new ResourceClient(store).CreateAsync(profile);
        }
        var netns = bed.Container("c1");

        var add = await bed.ExpectErrorAsync(102, "ADD", bed.Conf(), "c1", netns);
        Assert.Equal("no address could be assigned", add.ErrorMessage);
        using (var inside = CniTestBed.ContainerNetlink(netns))
            Assert.Null(inside.Links.Get("eth0"));

        var status = await bed.ExpectErrorAsync(50, "STATUS", bed.Conf("1.1.0"));
        Assert.Equal("no enabled IPv4 IP pool", status.ErrorMessage);
    }

    [Fact]
    public async Task A_datastore_that_does_not_exist_yet_is_try_again_later_for_add_not_available_for_status_and_fine_for_del()
    {
        await using var bed = await CniTestBed.CreateAsync(seedPools: false);
        var conf = bed.Conf("1.1.0");
        conf["datastore"] = $"sqlite:{bed.Directory}/missing.db";
        var netns = bed.Container("c1");

        var add = await bed.ExpectErrorAsync(11, "ADD", conf, "c1", netns);
        Assert.Equal("the datastore does not exist yet", add.ErrorMessage);
        await bed.ExpectErrorAsync(50, "STATUS", conf);
        await bed.ExpectSuccessAsync("DEL", conf, "c1", netns);
        Assert.False(File.Exists($"{bed.Directory}/missing.db")); // the plugin never creates one
    }

    [Fact]
    public async Task An_ipam_plugin_missing_from_cni_path_is_an_invalid_configuration()
    {
        await using var bed = await CniTestBed.CreateAsync();
        var conf = bed.Conf();
        conf["ipam"]!["type"] = "no-such-ipam";
        var outcome = await bed.ExpectErrorAsync(7, "ADD", conf, "c1", bed.Container("c1"));
        Assert.StartsWith("failed to find IPAM plugin \"no-such-ipam\" in path", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegates_own_error_is_passed_on_verbatim_and_its_garbage_is_code_106_after_an_ipam_del()
    {
        await using var bed = await CniTestBed.CreateAsync();
        var log = Path.Combine(bed.Directory, "ipam.log");
        bed.WritePlugin("busy-ipam", $"#!/bin/sh\necho \"$CNI_COMMAND\" >> {log}\n[ \"$CNI_COMMAND\" = DEL ] && exit 0\necho '{{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"come back later\"}}'\nexit 1\n");
        bed.WritePlugin("garbage-ipam", $"#!/bin/sh\necho \"$CNI_COMMAND\" >> {log}\n[ \"$CNI_COMMAND\" = DEL ] && exit 0\necho 'this is not json'\nexit 0\n");
        bed.WritePlugin("crashing-ipam", "#!/bin/sh\necho 'segfault, allegedly' >&2\nexit 139\n");

        var conf = bed.Conf();
        conf["ipam"]!["type"] = "busy-ipam";
        var busy = await bed.ExpectErrorAsync(11, "ADD", conf, "c1", bed.Container("c1"));
        Assert.Equal("busy", busy.ErrorMessage);
        Assert.Equal("come back later", busy.Json.GetProperty("details").GetString());

        conf["ipam"]!["type"] = "garbage-ipam";
        var garbage = await bed.ExpectErrorAsync(106, "ADD", conf, "c2", bed.Container("c2"));
        Assert.Contains("not JSON", garbage.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["ADD", "DEL", "ADD", "DEL"], await File.ReadAllLinesAsync(log)); // every failed ADD is followed by an IPAM DEL

        conf["ipam"]!["type"] = "crashing-ipam";
        var crash = await bed.ExpectErrorAsync(106, "ADD", conf, "c3", bed.Container("c3"));
        Assert.Contains("exit code 139", crash.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("segfault, allegedly", crash.Stderr, StringComparison.Ordinal); // the delegate's stderr is the plugin's
    }

    [Fact]
    public async Task Host_local_works_as_the_ipam_plugin_through_delegation()
    {
        await using var bed = await CniTestBed.CreateAsync();
        var dataDir = Path.Combine(bed.Directory, "host-local");
        var conf = bed.Conf();
        conf["ipam"] = new JsonObject
        {
            ["type"] = "host-local",
            ["dataDir"] = dataDir,
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "10.97.0.0/24", ["gateway"] = "10.97.0.1" })),
        };
        var netns = bed.Container("c1");

        var added = await bed.ExpectSuccessAsync("ADD", conf, "c1", netns);

        var address = added.Json.GetProperty("ips")[0].GetProperty("address").GetString()!;
        Assert.StartsWith("10.97.0.", address, StringComparison.Ordinal);
        Assert.EndsWith("/32", address, StringComparison.Ordinal); // a routed /32, not host-local's /24
        Assert.False(added.Json.GetProperty("ips")[0].TryGetProperty("gateway", out _));
        Assert.Equal([address], (await bed.EndpointAsync(bed.EndpointName("c1")))!.Spec.IpNetworks);
        Assert.True(File.Exists(Path.Combine(dataDir, bed.Network, address.Split('/')[0])));

        await bed.ExpectSuccessAsync("DEL", conf, "c1", netns);
        Assert.False(File.Exists(Path.Combine(dataDir, bed.Network, address.Split('/')[0])));
    }

    [Fact]
    public async Task Tabby_ipam_runs_inside_the_plugin_so_a_cni_path_holding_only_tabby_serves_every_command()
    {
        await using var bed = await CniTestBed.CreateAsync();
        // No tabby-ipam anywhere on this CNI_PATH: had the plugin executed it, every command below would fail with code 7.
        var only = Path.Combine(bed.Directory, "only-tabby");
        Directory.CreateDirectory(only);
        foreach (var file in new[] { CniPluginBinaries.NetworkPlugin, "libe_sqlite3.so" })
            File.Copy(Path.Combine(CniPluginBinaries.Directory(), file), Path.Combine(only, file));
        var runtime = new CniRuntime(bed.HostNamespace.Name!, [only]);
        var netns = bed.Container("c1");
        Task<CniOutcome> Run(string command, JsonObject conf) => runtime.RunAsync(new CniInvocation(command, conf.ToJsonString())
        {
            ContainerId = command is "GC" or "STATUS" ? null : "c1",
            Netns = command is "GC" or "STATUS" ? null : netns,
            IfName = command is "GC" or "STATUS" ? null : "eth0",
            Environment = new Dictionary<string, string?> { ["TABBY_CNI_DEBUG"] = "1" },
        });

        var added = await Run("ADD", bed.Conf("1.1.0"));
        Assert.True(added.Succeeded, added.ToString());
        var address = added.Json.GetProperty("ips")[0].GetProperty("address").GetString()!;
        Assert.Equal([address], await bed.AddressesOfAsync("c1"));
        var check = bed.Conf("1.1.0");
        check["prevResult"] = JsonNode.Parse(added.Stdout);
        var checkedOut = await Run("CHECK", check);
        Assert.True(checkedOut.Succeeded, checkedOut.ToString());
        var status = await Run("STATUS", bed.Conf("1.1.0"));
        Assert.True(status.Succeeded, status.ToString());
        var gc = bed.Conf("1.1.0");
        gc["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c1", ["ifname"] = "eth0" });
        var collected = await Run("GC", gc);
        Assert.True(collected.Succeeded, collected.ToString());
        Assert.Equal([address], await bed.AddressesOfAsync("c1"));

        var deleted = await Run("DEL", bed.Conf("1.1.0"));
        Assert.True(deleted.Succeeded, deleted.ToString());
        Assert.Empty(await bed.AddressesOfAsync("c1"));
        Assert.Null(await bed.EndpointAsync(bed.EndpointName("c1")));
    }

    [Fact]
    public async Task Tabby_ipam_on_its_own_serves_an_interface_plugin_that_delegates_to_it()
    {
        // What another interface plugin (bridge, ptp, a third party's) does with "ipam": {"type": "tabby-ipam"}: execute it.
        await using var bed = await CniTestBed.CreateAsync();
        var netns = bed.Container("c1");
        Task<CniOutcome> Run(string command, JsonObject conf) => bed.Runtime.RunAsync(new CniInvocation(command, conf.ToJsonString())
        {
            Plugin = CniPluginBinaries.IpamPlugin,
            ContainerId = "c1",
            Netns = netns,
            Environment = new Dictionary<string, string?> { ["TABBY_CNI_DEBUG"] = "1" },
        });
        var conf = bed.Conf();
        conf["type"] = "bridge";

        var added = await Run("ADD", conf);

        Assert.True(added.Succeeded, added.ToString());
        var ip = added.Json.GetProperty("ips")[0];
        var address = ip.GetProperty("address").GetString()!;
        Assert.StartsWith("10.96.", address, StringComparison.Ordinal);
        Assert.EndsWith("/26", address, StringComparison.Ordinal); // the block's length, as Calico's IPAM reports it
        Assert.False(added.Json.TryGetProperty("interfaces", out _)); // IPAM makes no interfaces
        Assert.Equal([address.Split('/')[0] + "/32"], await bed.AddressesOfAsync("c1"));
        var check = bed.Conf();
        check["type"] = "bridge";
        check["prevResult"] = JsonNode.Parse(added.Stdout);
        var checkedOut = await Run("CHECK", check);
        Assert.True(checkedOut.Succeeded, checkedOut.ToString());

        var deleted = await Run("DEL", conf);
        Assert.True(deleted.Succeeded, deleted.ToString());
        Assert.Empty(await bed.AddressesOfAsync("c1"));
        var again = await Run("DEL", conf);
        Assert.True(again.Succeeded, again.ToString());
    }

    [Fact]
    public async Task The_native_plugin_stores_endpoints_byte_for_byte_as_the_resource_codec_writes_them()
    {
        // NativeAOT has no metadata tokens; field order must still be Calico's, as the JIT-compiled codec writes it.
        await using var bed = await CniTestBed.CreateAsync();
        var conf = bed.Conf();
        conf["args"] = new JsonObject { ["cni"] = new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["key"] = "app", ["value"] = "web" }) } };
        await bed.ExpectSuccessAsync("ADD", conf, "c1", bed.Container("c1"));

        await using var store = bed.OpenStore();
        foreach (var key in new[] { $"/calico/resources/v3/projectcalico.org/workloadendpoints/default/{bed.EndpointName("c1")}", $"/calico/resources/v3/projectcalico.org/profiles/{bed.Network}" })
        {
            var stored = await store.GetAsync(key);
            Assert.NotNull(stored);
            var decoded = ResourceCodec.Decode(stored);
            Assert.Equal(Encoding.UTF8.GetString(ResourceCodec.Encode(decoded)), Encoding.UTF8.GetString(stored.Value));
        }
    }
}
