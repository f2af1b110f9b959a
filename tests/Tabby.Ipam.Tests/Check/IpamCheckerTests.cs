using System.Text;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;
using Tabby.Ipam.Tests.Fixtures;
using BlockAffinity = Tabby.Ipam.Model.BlockAffinity;

namespace Tabby.Ipam.Tests.Check;

public sealed class IpamCheckerTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public async Task InitializeAsync() => await _bed.PoolAsync("p", "10.20.0.0/24", 28);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private IpamChecker Checker(TimeSpan? grace = null) => new(_bed.Store, new IpamCheckOptions { Time = _bed.Time, LeakGrace = grace ?? TimeSpan.Zero });

    private async Task<AssignedAddress> WorkloadAsync(string host, string name, bool endpoint = true)
    {
        var attrs = new Dictionary<string, string> { ["node"] = host, ["namespace"] = "ns", ["pod"] = name, ["timestamp"] = IpamTime.Format(_bed.Time.GetUtcNow()) };
        var got = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = host, Num4 = 1, HandleId = "net." + name, Attributes = attrs })).IPv4[0];
        if (endpoint)
            await EndpointAsync(name, got.Address.ToString());
        return got;
    }

    private async Task EndpointAsync(string name, string network) =>
        await _bed.Resources.CreateAsync(new WorkloadEndpoint
        {
            Metadata = { Name = name, Namespace = "ns" },
            Spec = new WorkloadEndpointSpec { Node = "n", Pod = name, IpNetworks = [network] },
        });

    [Fact]
    public async Task A_consistent_datastore_reports_every_allocation_in_use_and_no_problem()
    {
        var a = await WorkloadAsync("host-a", "pod-a");
        var b = await WorkloadAsync("host-b", "pod-b");
        await _bed.Resources.CreateAsync(new Node { Metadata = { Name = "host-a" }, Spec = new NodeSpec { Ipv4VxlanTunnelAddr = "10.20.0.200" } });
        await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.200", Host = "host-a", HandleId = "vxlan-tunnel-addr-host-a" });

        var report = await Checker().CheckAsync();

        Assert.Equal(0, report.Summary.Problems);
        Assert.Equal(3, report.Allocations.Count);
        Assert.All(report.Allocations, x => Assert.True(x.InUse));
        var first = report.Allocations.Single(x => x.Ip == a.Address.Address.ToString());
        Assert.Equal(("net.pod-a", "host-a", "ns", "pod-a", a.SequenceNumber, a.Block.ToString()), (first.Handle, first.Node, first.Namespace, first.Pod, first.SequenceNumber, first.Block));
        Assert.Equal(["Workload(ns/pod-a)"], first.Owners);
        Assert.Equal(["Node(host-a)"], report.Allocations.Single(x => x.Ip == "10.20.0.200").Owners);
        Assert.Contains(report.Allocations, x => x.Ip == b.Address.Address.ToString() && x.Node == "host-b" && !x.Borrowed);
        Assert.Equal(await _bed.Store.GetRevisionAsync(), report.Revision);
    }

    [Fact]
    public async Task An_allocation_nobody_uses_is_leaked_unless_it_is_younger_than_the_grace_period_or_cooling_down()
    {
        var leaked = await WorkloadAsync("host-a", "pod-a", endpoint: false);

        var strict = await Checker().CheckAsync();
        var leak = Assert.Single(strict.Problems.LeakedAddresses);
        Assert.Equal((leaked.Address.Address.ToString(), "net.pod-a", leaked.SequenceNumber, leaked.Block.ToString()), (leak.Ip, leak.Handle, leak.SequenceNumber, leak.Block));

        var lenient = await Checker(TimeSpan.FromMinutes(1)).CheckAsync();
        Assert.Empty(lenient.Problems.LeakedAddresses);
        Assert.Equal(1, lenient.Summary.InFlight);
        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Single((await Checker(TimeSpan.FromMinutes(1)).CheckAsync()).Problems.LeakedAddresses);

        await _bed.Ipam.ConfigureAsync(ipCooldownSeconds: 60);
        await _bed.Ipam.ReleaseByHandleAsync("net.pod-a");
        var cooling = await Checker().CheckAsync();
        Assert.Equal(0, cooling.Summary.Problems);
        Assert.True(Assert.Single(cooling.Allocations).CoolingDown);
    }

    [Fact]
    public async Task Addresses_used_but_not_allocated_are_reported_inside_and_outside_active_pools()
    {
        await EndpointAsync("in-pool", "10.20.0.77/32");
        await EndpointAsync("outside", "192.168.9.9/32");
        await EndpointAsync("broken", "not-an-address");

        var report = await Checker().CheckAsync();

        Assert.Equal("10.20.0.77", Assert.Single(report.Problems.UnallocatedInUse).Ip);
        var outside = Assert.Single(report.Problems.OutsidePools);
        Assert.Equal(("192.168.9.9", "Workload(ns/outside)"), (outside.Ip, Assert.Single(outside.Owners)));
        Assert.Contains(report.Notes, n => n.Contains("not-an-address", StringComparison.Ordinal));
        Assert.Equal(2, report.Summary.Problems);
    }

    [Fact]
    public async Task An_address_held_by_two_overlapping_blocks_or_used_by_two_workloads_is_a_duplicate()
    {
        var held = await WorkloadAsync("host-a", "pod-a");
        // A second endpoint claims the same address.
        await EndpointAsync("pod-copy", held.Address.ToString());
        // And a /30 block written by another tool overlaps the /28 and allocates its first address too.
        var ip = held.Address.Address.ToString();
        var small = Tabby.Ipam.Blocks.Block.New(IpPrefix.Masked(held.Address.Address, 30), "host-z", _bed.Time.GetUtcNow());
        small.Assign(0, "net.other", null);
        await _bed.Store.PutAsync(IpamKeys.Block(small.Cidr), small.Serialize());
        await _bed.Store.PutAsync(IpamKeys.Handle("net.other"), IpamStore.Encode(new IpamHandle { Block = { [small.Cidr.ToString()] = 1 } }));

        var report = await Checker().CheckAsync();

        var dup = Assert.Single(report.Problems.DuplicateAddresses);
        Assert.Equal(ip, dup.Ip);
        Assert.Equal([held.Block.ToString(), small.Cidr.ToString()], dup.Allocations.Select(a => a.Block).Order(StringComparer.Ordinal));
        Assert.Equal(["Workload(ns/pod-a)", "Workload(ns/pod-copy)"], dup.Owners.Order(StringComparer.Ordinal));
        Assert.Equal(2, report.Allocations.Count(a => a.Ip == ip));
        Assert.Empty(report.Problems.LeakedAddresses);
    }

    [Fact]
    public async Task Handles_that_are_leaked_missing_or_miscounted_are_reported()
    {
        var counted = await WorkloadAsync("host-a", "pod-counted");
        var missing = await WorkloadAsync("host-a", "pod-missing");
        await _bed.Store.PutAsync(IpamKeys.Handle("net.pod-counted"), IpamStore.Encode(new IpamHandle { Block = { [counted.Block.ToString()] = 3 } }));
        await _bed.Store.DeleteAsync(IpamKeys.Handle("net.pod-missing"));
        await _bed.Store.PutAsync(IpamKeys.Handle("net.gone"), IpamStore.Encode(new IpamHandle { Block = { ["10.20.0.128/28"] = 1 } }));

        var report = await Checker().CheckAsync();

        var wrong = Assert.Single(report.Problems.HandleCountMismatches);
        Assert.Equal(("net.pod-counted", 3, 1), (wrong.Id, wrong.Stored![counted.Block.ToString()], wrong.Actual[counted.Block.ToString()]));
        var absent = Assert.Single(report.Problems.MissingHandles);
        Assert.Equal(("net.pod-missing", 0L, 1), (absent.Id, absent.ModRevision, absent.Actual[missing.Block.ToString()]));
        var leaked = Assert.Single(report.Problems.LeakedHandles);
        Assert.Equal("net.gone", leaked.Id);
        Assert.True(leaked.ModRevision > 0);
        Assert.Equal(3, report.Summary.Problems);
    }

    [Fact]
    public async Task Affinities_without_a_block_stale_ones_and_unfinished_claims_are_reported()
    {
        var b = await WorkloadAsync("host-b", "pod-b");
        var ownBlock = (await WorkloadAsync("host-a", "pod-a")).Block;
        var unused = UnusedBlocks(b.Block, ownBlock);
        await PutAffinityAsync("host-a", b.Block, AffinityState.Confirmed);
        await PutAffinityAsync("host-a", unused[0], AffinityState.Pending);
        await PutAffinityAsync("host-c", unused[1], AffinityState.Confirmed);
        await PutAffinityAsync("host-a", ownBlock, AffinityState.PendingDeletion);

        var report = await Checker().CheckAsync();

        var stale = Assert.Single(report.Problems.StaleAffinities);
        Assert.Equal(("host-a", b.Block.ToString(), "host:host-b"), (stale.Host, stale.Block, stale.BlockAffinity));
        Assert.Equal(new[] { unused[0], ownBlock }.Select(c => c.ToString()).Order(StringComparer.Ordinal), report.Problems.PendingAffinities.Select(p => p.Block).Order(StringComparer.Ordinal));
        Assert.Equal(unused[1].ToString(), Assert.Single(report.Problems.AffinitiesWithoutBlock).Block);
        Assert.Equal(4, report.Summary.Problems);
    }

    [Fact]
    public async Task Invalid_blocks_are_reported_and_their_handles_are_not_judged()
    {
        var a = await WorkloadAsync("host-a", "pod-a");
        var block = await _bed.Ipam.Store.GetBlockAsync(a.Block, default);
        block!.Data.Unallocated.Add(block.OrdinalOf(a.Address));
        await _bed.Store.PutAsync(IpamKeys.Block(a.Block), block.Serialize());
        await _bed.Store.PutAsync(IpamKeys.Block(IpPrefix.Parse("10.20.0.64/28")), Encoding.UTF8.GetBytes("{not json"));

        var report = await Checker().CheckAsync();

        Assert.Equal(2, report.Problems.InvalidBlocks.Count);
        Assert.Contains(report.Problems.InvalidBlocks, x => x.Block == a.Block.ToString() && x.Reason.Contains("is allocated but appears in the unallocated list", StringComparison.Ordinal));
        Assert.Empty(report.Problems.LeakedHandles);
        Assert.Contains(report.Notes, n => n.Contains("net.pod-a", StringComparison.Ordinal));
        // The workload's address is in use but its block cannot be read: that is what it is, unallocated as far as anyone can tell.
        Assert.Single(report.Problems.UnallocatedInUse);
    }

    [Fact]
    public async Task A_release_stamped_in_the_future_marks_the_block_invalid_as_calicoctl_does()
    {
        var a = await WorkloadAsync("host-a", "pod-a");
        var block = await _bed.Ipam.Store.GetBlockAsync(a.Block, default);
        block!.Release([block.OrdinalOf(a.Address)], 3600, _bed.Time.GetUtcNow().AddHours(1));
        await _bed.Store.PutAsync(IpamKeys.Block(a.Block), block.Serialize());

        var invalid = Assert.Single((await Checker().CheckAsync()).Problems.InvalidBlocks);
        Assert.Contains("clock skew", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_round_trips_through_its_json_with_stable_field_names()
    {
        await WorkloadAsync("host-a", "pod-a", endpoint: false);
        await PutAffinityAsync("host-z", IpPrefix.Parse("10.20.0.240/28"), AffinityState.Pending);
        var report = await Checker().CheckAsync();

        var json = Encoding.UTF8.GetString(IpamRepairer.WriteReport(report));
        foreach (var field in new[] { "\"format\": \"tabby.ipam.check/v1\"", "\"revision\"", "\"allocations\"", "\"sequenceNumber\"", "\"leakedAddresses\"", "\"pendingAffinities\"", "\"modRevision\"", "\"inUse\": false", "\"borrowed\"", "\"coolingDown\"" })
            Assert.Contains(field, json, StringComparison.Ordinal);
        var back = IpamRepairer.ReadReport(Encoding.UTF8.GetBytes(json));
        Assert.Equal(json, Encoding.UTF8.GetString(IpamRepairer.WriteReport(back)));
    }

    [Fact]
    public async Task The_check_reads_one_revision_so_later_writes_are_not_half_seen()
    {
        await WorkloadAsync("host-a", "pod-a");
        // After the first listing fixes the revision, a whole workload (allocation and endpoint) appears.
        var store = new HookedStore(_bed.Store) { AfterFirstList = () => WorkloadAsync("host-a", "pod-late") };

        var report = await new IpamChecker(store, new IpamCheckOptions { Time = _bed.Time }).CheckAsync();

        Assert.Single(report.Allocations);
        Assert.Equal(0, report.Summary.Problems);
        Assert.Equal(1, report.Summary.WorkloadEndpoints);
    }

    /// <summary>The pool's /28 blocks other than the given ones.</summary>
    internal static List<IpPrefix> UnusedBlocks(params IpPrefix[] used) =>
        [.. Enumerable.Range(0, 16).Select(i => IpPrefix.V4(IpPrefix.Parse("10.20.0.0/24").V4Bits + (uint)(i * 16), 28)).Where(c => !used.Contains(c))];

    private async Task PutAffinityAsync(string host, IpPrefix cidr, string state) =>
        await _bed.Store.PutAsync(IpamKeys.Affinity(host, cidr), IpamStore.Encode(new BlockAffinity { State = state }));
}
