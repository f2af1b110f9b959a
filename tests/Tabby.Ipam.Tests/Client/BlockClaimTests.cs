using System.Text;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Gc;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;
using Tabby.Ipam.Tests.Fixtures;

namespace Tabby.Ipam.Tests.Client;

public sealed class BlockClaimTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_claim_left_pending_by_a_crash_is_completed_by_the_hosts_next_allocation()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 26);
        // What a process leaves when it dies between writing its pending affinity and creating the block.
        var cidr = IpPrefix.Parse("10.20.0.64/26");
        await _bed.Store.PutAsync(IpamKeys.Affinity("host-a", cidr), Encoding.UTF8.GetBytes("""{"state":"pending","deleted":false}"""));

        var got = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.a" })).IPv4[0];
        Assert.Equal(cidr, got.Block);
        Assert.Equal(AffinityState.Confirmed, (await _bed.Ipam.Store.GetAffinityAsync("host-a", cidr, default))!.Value.State);
    }

    [Fact]
    public async Task An_affinity_to_a_block_owned_by_another_host_is_removed_as_stale()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 26);
        var b = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-b", Num4 = 1, HandleId = "net.b" })).IPv4[0];
        await _bed.Store.PutAsync(IpamKeys.Affinity("host-a", b.Block), Encoding.UTF8.GetBytes("""{"state":"confirmed","deleted":false}"""));

        var a = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.a" })).IPv4[0];
        Assert.NotEqual(b.Block, a.Block);
        Assert.Null(await _bed.Ipam.Store.GetAffinityAsync("host-a", b.Block, default));
    }

    [Fact]
    public async Task Releasing_an_affinity_deletes_an_empty_block_and_unowns_a_used_one()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 26);
        var kept = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.kept" })).IPv4[0];
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.ReleaseAffinityAsync("host-a", kept.Block, requireEmpty: true));
        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);

        Assert.True(await _bed.Ipam.ReleaseAffinityAsync("host-a", kept.Block, requireEmpty: false));
        var block = await _bed.Ipam.Store.GetBlockAsync(kept.Block, default);
        Assert.Null(block!.Data.Affinity);
        Assert.Equal("net.kept", (await _bed.Ipam.GetAllocationAsync(kept.Address.Address.ToString()))!.HandleId);
        Assert.Null(await _bed.Ipam.Store.GetAffinityAsync("host-a", kept.Block, default));

        var gone = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-c", Num4 = 1, HandleId = "net.c" })).IPv4[0];
        await _bed.Ipam.ReleaseByHandleAsync("net.c");
        Assert.True(await _bed.Ipam.ReleaseAffinityAsync("host-c", gone.Block, requireEmpty: true));
        Assert.Null(await _bed.Ipam.Store.GetBlockAsync(gone.Block, default));
        Assert.False(await _bed.Ipam.ReleaseAffinityAsync("host-c", gone.Block, requireEmpty: true));
    }

    [Fact]
    public async Task Another_hosts_empty_block_is_taken_over_only_after_the_reclaim_age()
    {
        await _bed.PoolAsync("p", "10.20.0.0/26", 26);
        var b = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-b", Num4 = 1, HandleId = "net.b" })).IPv4[0];
        await _bed.Ipam.ReleaseByHandleAsync("net.b");
        await _bed.Ipam.ConfigureAsync(strictAffinity: true);

        var early = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.a" }));
        Assert.Equal(IpamErrorCode.Exhausted, early.Code);

        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        var a = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.a" })).IPv4[0];
        Assert.Equal(b.Block, a.Block);
        Assert.False(a.Borrowed);
        Assert.Null(await _bed.Ipam.Store.GetAffinityAsync("host-b", b.Block, default));
    }

    [Fact]
    public async Task The_reaper_releases_a_block_that_stayed_empty_for_the_grace_period()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 26);
        var got = (await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.a" })).IPv4[0];
        var reaper = new EmptyBlockReaper(_bed.Ipam, "host-a", TimeSpan.FromMinutes(5), _bed.Time);
        Assert.Empty(await reaper.SweepAsync());
        await _bed.Ipam.ReleaseByHandleAsync("net.a");

        Assert.Empty(await reaper.SweepAsync());
        _bed.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(await reaper.SweepAsync());

        // Used and emptied again in between: the clock starts over.
        await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 1, HandleId = "net.b" });
        await _bed.Ipam.ReleaseByHandleAsync("net.b");
        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await reaper.SweepAsync());
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([got.Block], await reaper.SweepAsync());
        Assert.Null(await _bed.Ipam.Store.GetBlockAsync(got.Block, default));
        Assert.Empty(await _bed.Ipam.Store.ListAffinitiesAsync("host-a", false, default));
    }

    [Fact]
    public async Task Clients_racing_on_one_small_pool_never_hand_out_an_address_twice()
    {
        await _bed.PoolAsync("p", "10.20.0.0/26", 29);
        var clients = Enumerable.Range(0, 8).Select(_ => _bed.NewClient(ownConnection: true)).ToList();
        var results = await Task.WhenAll(clients.Select(async (client, i) =>
        {
            var mine = new List<IpPrefix>();
            for (var n = 0; n < 7; n++)
                mine.Add((await client.AutoAssignAsync(new AutoAssignRequest { Host = $"host-{i}", Num4 = 1, HandleId = $"net.{i}-{n}" })).IPv4[0].Address);
            return mine;
        }));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(56, all.Count);
        Assert.Equal(56, all.Distinct().Count());
        var blocks = await _bed.Ipam.Store.ListBlocksAsync(false, 0, default);
        Assert.Empty(blocks.Problems);
        Assert.Equal(56, blocks.Blocks.Sum(b => b.NumAddresses - b.Data.Unallocated.Count));
    }
}
