using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Cli.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Integration.Tests.Cli;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>`tabby ipam show|check|release|configure` end to end; each backend runs every scenario (see the SQLite and etcd subclasses).</summary>
public abstract class IpamCommandTests
{
    private const string Pools = """
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata: {name: pool-a}
        spec: {cidr: 10.20.0.0/24, blockSize: 28}
        ---
        apiVersion: projectcalico.org/v3
        kind: IPReservation
        metadata: {name: gateways}
        spec: {reservedCIDRs: [10.20.0.0/30, 10.20.0.250/31]}
        """;

    protected abstract TabbyRunner Tabby { get; }

    private async Task<IDatastore> SetUpAsync()
    {
        await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, Pools, "apply", "-f", "-");
        return DatastoreConnectionString.Open(Tabby.Datastore);
    }

    private static async Task<AssignedAddress> WorkloadAsync(IDatastore store, string host, string pod, bool endpoint = true)
    {
        // The timestamp is what the CNI plugin records: it lets check tell an allocation being set up from a leak.
        var attrs = new Dictionary<string, string> { ["node"] = host, ["namespace"] = "ns", ["pod"] = pod, ["timestamp"] = IpamTime.Format(DateTimeOffset.UtcNow) };
        var got = (await new IpamClient(store).AutoAssignAsync(new AutoAssignRequest { Host = host, Num4 = 1, HandleId = "net." + pod, Attributes = attrs })).IPv4[0];
        if (endpoint)
        {
            await new ResourceClient(store).CreateAsync(new WorkloadEndpoint
            {
                Metadata = { Name = pod, Namespace = "ns" },
                Spec = new WorkloadEndpointSpec { Node = host, Pod = pod, IpNetworks = [got.Address.ToString()] },
            });
        }

        return got;
    }

    [Fact]
    public async Task Show_counts_each_pool_over_its_whole_cidr_and_each_block_with_overlapping_in_use_and_reserved()
    {
        await using var store = await SetUpAsync();
        // Three addresses in the block at 10.20.0.0/28, whose first four are reserved.
        foreach (var pod in new[] { "a", "b", "c" })
            await new IpamClient(store).AssignIpAsync(new AssignIpRequest { Address = $"10.20.0.{pod[0] - 'a' + 4}", Host = "host-a", HandleId = "net." + pod });
        await WorkloadAsync(store, "host-b", "d");

        var json = JsonSerializer.Deserialize<JsonElement>((await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "show", "-o", "json")).Output);
        var pool = json.GetProperty("pools")[0];
        Assert.Equal((256, 4, 6), (pool.GetProperty("capacity").GetInt64(), pool.GetProperty("inUse").GetInt64(), pool.GetProperty("reserved").GetInt64()));
        // Free: everything neither allocated nor reserved, inside blocks and outside them.
        Assert.Equal(256 - 4 - 6, pool.GetProperty("available").GetInt64());
        var first = pool.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("cidr").GetString() == "10.20.0.0/28");
        Assert.Equal((16, 3, 4, 9, "host-a"), (first.GetProperty("capacity").GetInt64(), first.GetProperty("inUse").GetInt64(), first.GetProperty("reserved").GetInt64(), first.GetProperty("available").GetInt64(), first.GetProperty("host").GetString()));

        var table = (await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "show", "--show-blocks")).Output;
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // One line per row when piped: the header, the pool and its two blocks.
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^GROUPING\s+CIDR\s+NAME\s+IPS TOTAL\s+IPS IN USE\s+IPS RESERVED\s+IPS FREE$", lines[0]);
        Assert.Matches(@"^IP Pool\s+10\.20\.0\.0/24\s+pool-a\s+256\s+4 \(2%\)\s+6 \(2%\)\s+246 \(96%\)$", lines[1]);
        Assert.Matches(@"^Block\s+10\.20\.0\.0/28\s+host:host-a\s+16\s+3 \(19%\)\s+4 \(25%\)\s+9 \(56%\)$", lines[2]);
    }

    [Fact]
    public async Task Show_ip_says_who_holds_an_address_and_exits_5_when_nobody_does()
    {
        await using var store = await SetUpAsync();
        var got = await WorkloadAsync(store, "host-a", "web");
        var ip = got.Address.Address.ToString();

        var text = (await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "show", "--ip", ip)).Output;
        Assert.Contains($"IP {ip} is in use", text, StringComparison.Ordinal);
        Assert.Contains("Handle ID: net.web", text, StringComparison.Ordinal);
        Assert.Contains($"Sequence number: {got.SequenceNumber}", text, StringComparison.Ordinal);
        Assert.Contains("  pod: web", text, StringComparison.Ordinal);
        Assert.Contains("Used by: Workload(ns/web)", text, StringComparison.Ordinal);
        var json = JsonSerializer.Deserialize<JsonElement>((await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "show", "--ip", ip, "-o", "json")).Output);
        Assert.Equal(("net.web", false), (json.GetProperty("handle").GetString(), json.GetProperty("borrowed").GetBoolean()));

        Assert.Contains("10.20.0.99 is not assigned", (await Tabby.ExpectAsync(ExitCodes.NotFound, "ipam", "show", "--ip", "10.20.0.99")).Output, StringComparison.Ordinal);
        Assert.Contains("not an IP address", (await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "show", "--ip", "10.20.0.0/24")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_finds_a_leak_writes_a_report_and_release_from_report_repairs_it()
    {
        await using var store = await SetUpAsync();
        await WorkloadAsync(store, "host-a", "kept");
        var leaked = await WorkloadAsync(store, "host-a", "lost", endpoint: false);
        var report = Path.Combine(Path.GetTempPath(), $"tabby-ipam-report-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Contains("Check complete; found 0 problems.", (await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "check")).Output, StringComparison.Ordinal);
            var check = await Tabby.ExpectAsync(ExitCodes.SomeFailed, "ipam", "check", "--leak-grace", "0", "-o", report);
            Assert.Contains("Found 1 IPs that are allocated in IPAM but not in use.", check.Output, StringComparison.Ordinal);
            Assert.Contains($"  {leaked.Address.Address} leaked: block {leaked.Block}, handle net.lost, sequence {leaked.SequenceNumber}, node host-a, pod ns/lost", check.Output, StringComparison.Ordinal);
            Assert.Contains($"'tabby ipam release --from-report {report}'", check.Output, StringComparison.Ordinal);
            var written = IpamRepairer.ReadReport(File.ReadAllBytes(report));
            Assert.Equal(leaked.Address.Address.ToString(), Assert.Single(written.Problems.LeakedAddresses).Ip);

            var repair = await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "release", "--from-report", report);
            Assert.Contains($"leakedAddress {leaked.Address.Address}: repaired: released", repair.Output, StringComparison.Ordinal);
            Assert.Contains("Repaired 1, already repaired 0, skipped 0", repair.Output, StringComparison.Ordinal);
            await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "check", "--leak-grace", "0");

            // Applied again, nothing is left to do, and that is not a failure.
            var again = await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "release", "--from-report", report, "-o", "json");
            Assert.Equal("AlreadyRepaired", JsonSerializer.Deserialize<JsonElement>(again.Output).GetProperty("actions")[0].GetProperty("outcome").GetString());
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Check_o_dash_writes_the_report_to_stdout_and_the_findings_to_stderr()
    {
        await using var store = await SetUpAsync();
        await WorkloadAsync(store, "host-a", "lost", endpoint: false);

        var result = await Tabby.ExpectAsync(ExitCodes.SomeFailed, "ipam", "check", "--leak-grace", "0", "-o", "-");

        Assert.Single(IpamRepairer.ReadReport(System.Text.Encoding.UTF8.GetBytes(result.Output)).Problems.LeakedAddresses);
        Assert.Contains("Check complete; found 1 problems.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ip_refuses_an_address_in_use_unless_forced()
    {
        await using var store = await SetUpAsync();
        var ip = (await WorkloadAsync(store, "host-a", "web")).Address.Address.ToString();

        Assert.Contains($"{ip} is used by Workload(ns/web)", (await Tabby.ExpectAsync(ExitCodes.Conflict, "ipam", "release", "--ip", ip)).Error, StringComparison.Ordinal);
        Assert.Contains($"released {ip}", (await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "release", "--ip", ip, "--force")).Output, StringComparison.Ordinal);
        Assert.Contains($"{ip} is not allocated", (await Tabby.ExpectAsync(ExitCodes.NotFound, "ipam", "release", "--ip", ip, "--force")).Error, StringComparison.Ordinal);
        await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "release");
        await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "release", "--ip", ip, "--from-report", "x.json");
        Assert.Contains("x.json", (await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "release", "--from-report", "/nonexistent/x.json")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_changes_the_settings_and_allocation_follows_them()
    {
        await using var store = await SetUpAsync();
        await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "configure", "--strictaffinity", "maybe");
        await Tabby.ExpectAsync(ExitCodes.BadInput, "ipam", "configure", "--max-blocks-per-host", "-1");
        var json = JsonSerializer.Deserialize<JsonElement>((await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "configure", "--strictaffinity", "true", "--max-blocks-per-host", "1", "-o", "json")).Output);
        Assert.Equal((true, 1), (json.GetProperty("strictAffinity").GetBoolean(), json.GetProperty("maxBlocksPerHost").GetInt32()));
        Assert.Matches(@"(?m)^StrictAffinity\s+true$", (await Tabby.ExpectAsync(ExitCodes.Ok, "ipam", "configure")).Output);

        // One /28 block and no borrowing: the 17th address cannot be had.
        var ipam = new IpamClient(store);
        var e = await Assert.ThrowsAsync<IpamException>(async () =>
        {
            for (var i = 0; i < 17; i++)
                await ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = $"net.fill-{i}" });
        });
        Assert.Equal(IpamErrorCode.BlockLimit, e.Code);
    }
}
