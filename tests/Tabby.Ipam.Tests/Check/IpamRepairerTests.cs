using System.Text;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Sqlite;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;
using Tabby.Ipam.Tests.Fixtures;
using BlockAffinity = Tabby.Ipam.Model.BlockAffinity;

namespace Tabby.Ipam.Tests.Check;

public sealed class IpamRepairerTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public async Task InitializeAsync() => await _bed.PoolAsync("p", "10.20.0.0/24", 28);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<IpamReport> CheckAsync() => new IpamChecker(_bed.Store, new IpamCheckOptions { Time = _bed.Time }).CheckAsync();

    private IpamRepairer Repairer => new(_bed.Store, new IpamOptions { Time = _bed.Time });

    private async Task<AssignedAddress> AllocateAsync(string host, string handle, bool endpoint)
    {
        var got = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = host, Num4 = 1, HandleId = handle, Attributes = new Dictionary<string, string> { ["node"] = host } })).IPv4[0];
        if (endpoint)
        {
            await _bed.Resources.CreateAsync(new WorkloadEndpoint
            {
                Metadata = { Name = handle.Replace('.', '-'), Namespace = "ns" },
                Spec = new WorkloadEndpointSpec { Node = host, IpNetworks = [got.Address.ToString()] },
            });
        }

        return got;
    }

    [Fact]
    public async Task Every_repairable_problem_is_repaired_and_the_next_check_is_clean()
    {
        var used = await AllocateAsync("host-a", "net.used", endpoint: true);
        var leaked = await AllocateAsync("host-a", "net.leaked", endpoint: false);
        var other = await AllocateAsync("host-b", "net.other", endpoint: true);
        await _bed.Store.PutAsync(IpamKeys.Handle("net.used"), IpamStore.Encode(new IpamHandle { Block = { [used.Block.ToString()] = 5 } }));
        await _bed.Store.DeleteAsync(IpamKeys.Handle("net.other"));
        await _bed.Store.PutAsync(IpamKeys.Handle("net.empty"), IpamStore.Encode(new IpamHandle { Block = { ["10.20.0.0/28"] = 0 } }));
        var unused = IpamCheckerTests.UnusedBlocks(used.Block, other.Block);
        await PutAffinityAsync("host-a", other.Block, AffinityState.Confirmed);
        await PutAffinityAsync("host-c", unused[0], AffinityState.Confirmed);
        await PutAffinityAsync("host-c", unused[1], AffinityState.Pending);
        await PutAffinityAsync("host-b", other.Block, AffinityState.Pending);
        var report = await CheckAsync();
        Assert.Equal(8, report.Summary.Problems);

        var result = await Repairer.RepairAsync(report);

        Assert.All(result.Actions, a => Assert.Equal(RepairOutcome.Repaired, a.Outcome));
        Assert.Equal(8, result.Actions.Count);
        var after = await CheckAsync();
        Assert.True(after.Summary.Problems == 0, string.Join("\n", result.Actions.Select(a => $"{a.Problem} {a.Target}: {a.Outcome} {a.Detail}")));
        Assert.Null(await _bed.Ipam.GetAllocationAsync(leaked.Address.Address.ToString()));
        Assert.Equal(1, (await _bed.Ipam.Store.GetHandleAsync("net.used", default))!.Value.Block[used.Block.ToString()]);
        Assert.Equal(1, (await _bed.Ipam.Store.GetHandleAsync("net.other", default))!.Value.Block[other.Block.ToString()]);
        Assert.Equal(AffinityState.Confirmed, (await _bed.Ipam.Store.GetAffinityAsync("host-b", other.Block, default))!.Value.State);
        Assert.Equal(2, after.Allocations.Count);

        // The same report again: everything is already done or has moved on, and nothing is undone.
        var again = await Repairer.RepairAsync(report);
        Assert.DoesNotContain(again.Actions, a => a.Outcome is RepairOutcome.Repaired or RepairOutcome.Failed);
        Assert.Equal(0, (await CheckAsync()).Summary.Problems);
    }

    [Fact]
    public async Task A_leaked_address_reused_since_the_report_is_not_released()
    {
        var leaked = await AllocateAsync("host-a", "net.old", endpoint: false);
        var report = await CheckAsync();
        await _bed.Ipam.ReleaseByHandleAsync("net.old");
        var again = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = leaked.Address.Address.ToString(), Host = "host-a", HandleId = "net.old" });
        Assert.NotEqual(leaked.SequenceNumber, again.SequenceNumber);

        var action = Assert.Single((await Repairer.RepairAsync(report)).Actions);

        Assert.Equal(RepairOutcome.Skipped, action.Outcome);
        Assert.Contains("allocated again since", action.Detail, StringComparison.Ordinal);
        Assert.Equal("net.old", (await _bed.Ipam.GetAllocationAsync(leaked.Address.Address.ToString()))!.HandleId);
    }

    [Fact]
    public async Task A_leaked_address_that_got_its_workload_since_the_report_is_not_released()
    {
        var late = await AllocateAsync("host-a", "net.late", endpoint: false);
        var report = await CheckAsync();
        await _bed.Resources.CreateAsync(new WorkloadEndpoint
        {
            Metadata = { Name = "late", Namespace = "ns" },
            Spec = new WorkloadEndpointSpec { IpNetworks = [late.Address.ToString()] },
        });

        var action = Assert.Single((await Repairer.RepairAsync(report)).Actions);

        Assert.Equal((RepairOutcome.Skipped, "used by Workload(ns/late) since the report"), (action.Outcome, action.Detail));
        Assert.NotNull(await _bed.Ipam.GetAllocationAsync(late.Address.Address.ToString()));
    }

    [Fact]
    public async Task Handles_and_affinities_that_changed_since_the_report_are_skipped_and_said_to_be()
    {
        await _bed.Store.PutAsync(IpamKeys.Handle("net.h"), IpamStore.Encode(new IpamHandle()));
        var unused = IpamCheckerTests.UnusedBlocks();
        await PutAffinityAsync("host-a", unused[0], AffinityState.Pending);
        var report = await CheckAsync();
        Assert.Equal(2, report.Summary.Problems);
        // Both are used again: the handle holds an address, and the host finishes its claim.
        var got = await AllocateAsync("host-a", "net.h", endpoint: true);

        var result = await Repairer.RepairAsync(report);

        Assert.All(result.Actions, a => Assert.Equal(RepairOutcome.Skipped, a.Outcome));
        Assert.Contains(result.Actions, a => a.Problem == "leakedHandle" && a.Detail.Contains("changed since the report", StringComparison.Ordinal));
        Assert.Contains(result.Actions, a => a.Problem == "pendingAffinity" && a.Detail.Contains("changed since the report", StringComparison.Ordinal));
        Assert.Equal(got.Address.Address.ToString(), (await _bed.Ipam.GetAllocationAsync(got.Address.Address.ToString()))!.Address.Address.ToString());
        Assert.Equal(0, (await CheckAsync()).Summary.Problems);
    }

    [Fact]
    public async Task Duplicates_and_invalid_blocks_are_listed_as_needing_a_person()
    {
        var a = await AllocateAsync("host-a", "net.a", endpoint: true);
        await _bed.Resources.CreateAsync(new WorkloadEndpoint
        {
            Metadata = { Name = "copy", Namespace = "ns" },
            Spec = new WorkloadEndpointSpec { IpNetworks = [a.Address.ToString()] },
        });
        await _bed.Store.PutAsync(IpamKeys.Block(IpamCheckerTests.UnusedBlocks(a.Block)[0]), Encoding.UTF8.GetBytes("[]"));

        var result = await Repairer.RepairAsync(await CheckAsync());

        Assert.Equal(2, result.Count(RepairOutcome.NotRepairable));
        Assert.Contains(result.Actions, x => x.Problem == "duplicateAddress" && x.Detail.Contains("Workload(ns/copy)", StringComparison.Ordinal));
        Assert.Contains(result.Actions, x => x.Problem == "invalidBlock");
    }

    [Fact]
    public async Task A_report_of_another_datastore_or_format_is_refused()
    {
        await AllocateAsync("host-a", "net.a", endpoint: false);
        var report = await CheckAsync();
        var path = Path.Combine(Path.GetTempPath(), $"tabby-other-{Guid.NewGuid():N}.db");
        try
        {
            await using (var other = SqliteDatastore.Open(path))
            {
                var e = await Assert.ThrowsAsync<IpamException>(() => new IpamRepairer(other).RepairAsync(report));
                Assert.Contains("another datastore", e.Message, StringComparison.Ordinal);
            }

            report.Format = "tabby.ipam.check/v0";
            await Assert.ThrowsAsync<IpamException>(() => Repairer.RepairAsync(report));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
                File.Delete(f);
        }
    }

    private async Task PutAffinityAsync(string host, IpPrefix cidr, string state) =>
        await _bed.Store.PutAsync(IpamKeys.Affinity(host, cidr), IpamStore.Encode(new BlockAffinity { State = state }));
}
