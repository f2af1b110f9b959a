using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Store;
using Tabby.Ipam.Tests.Fixtures;

namespace Tabby.Ipam.Tests.Client;

/// <summary>A client reuses what it read (pools, reservations, settings, the host's affinities) only while nothing but its own allocations changed.</summary>
public sealed class ContextCacheTests : IAsyncLifetime
{
    private const string PoolPrefix = "/calico/resources/v3/projectcalico.org/ippools/";
    private readonly IpamBed _bed = new();

    public async Task InitializeAsync() => await _bed.PoolAsync("p", "10.20.0.0/24", 28);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static AutoAssignRequest One(string handle) => new() { Host = "host-a", Num4 = 1, HandleId = handle };

    [Fact]
    public async Task Allocating_and_releasing_alone_reads_the_pools_no_more_once_the_block_is_claimed()
    {
        var store = new ListCountingStore(_bed.Store);
        var ipam = new IpamClient(store, new IpamOptions { Time = _bed.Time });
        async Task CycleAsync(int i)
        {
            await ipam.AutoAssignAsync(One($"net.{i}"));
            await ipam.ReleaseByHandleAsync($"net.{i}");
        }

        // The first cycle claims the block, a write of another kind: the next cycles read the contexts again, once.
        for (var i = 0; i < 3; i++)
            await CycleAsync(i);
        var settled = store.ListsUnder(PoolPrefix);
        for (var i = 3; i < 12; i++)
            await CycleAsync(i);

        Assert.Equal(settled, store.ListsUnder(PoolPrefix));
    }

    [Fact]
    public async Task Deleted_pools_and_reservations_leave_the_cache_of_decoded_values()
    {
        var resources = new ResourceClient(_bed.Store);
        for (var i = 0; i < 20; i++)
        {
            await _bed.PoolAsync($"extra-{i}", $"10.{100 + i}.0.0/24", 28);
            await resources.CreateAsync(new IPReservation { Metadata = { Name = $"r{i}" }, Spec = new IPReservationSpec { ReservedCidrs = [$"10.{100 + i}.0.1/32"] } });
        }

        var cache = new ContextCache(new IpamStore(_bed.Store), _bed.Time);
        await cache.LoadAsync("host-a", CancellationToken.None);
        var full = cache.DecodedCount;
        for (var i = 0; i < 20; i++)
        {
            await resources.DeleteAsync(new ResourceKey(KindRegistry.For<IPPool>(), null, $"extra-{i}"));
            await resources.DeleteAsync(new ResourceKey(KindRegistry.For<IPReservation>(), null, $"r{i}"));
        }

        // Past the time a full read stands in for another, so this one reads the pools again too.
        _bed.Time.Advance(ContextCache.SettledFor + TimeSpan.FromSeconds(1));
        await cache.LoadAsync("host-a", CancellationToken.None);

        Assert.True(full >= 41, $"{full} decoded values after the first read");
        Assert.Equal(full - 40, cache.DecodedCount);
    }

    [Fact]
    public async Task A_reservation_made_by_someone_else_is_honoured_by_the_next_allocation()
    {
        var ipam = new IpamClient(_bed.Store, new IpamOptions { Time = _bed.Time });
        var first = (await ipam.AutoAssignAsync(One("net.first"))).IPv4[0];
        var next = IpamAddress(first.Address, 1);
        await new ResourceClient(_bed.NewClient(ownConnection: true).Store.Datastore).CreateAsync(
            new IPReservation { Metadata = { Name = "r" }, Spec = new IPReservationSpec { ReservedCidrs = [next + "/32"] } });

        var second = (await ipam.AutoAssignAsync(One("net.second"))).IPv4[0];

        Assert.NotEqual(next, second.Address.Address.ToString());
    }

    [Fact]
    public async Task A_pool_disabled_by_someone_else_is_not_used_by_the_next_allocation()
    {
        var ipam = new IpamClient(_bed.Store, new IpamOptions { Time = _bed.Time });
        await ipam.AutoAssignAsync(One("net.first"));
        var other = new ResourceClient(_bed.NewClient(ownConnection: true).Store.Datastore);
        var pool = (await other.GetAsync<IPPool>("p"))!;
        pool.Spec.Disabled = true;
        await other.UpdateAsync(pool);

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AutoAssignAsync(One("net.second")));

        Assert.Equal(IpamErrorCode.NoQualifiedPool, e.Code);
    }

    [Fact]
    public async Task Settings_changed_by_someone_else_apply_to_the_next_allocation()
    {
        var ipam = new IpamClient(_bed.Store, new IpamOptions { Time = _bed.Time });
        await ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 16, HandleId = "net.fill" });
        await _bed.NewClient(ownConnection: true).ConfigureAsync(strictAffinity: true, maxBlocksPerHost: 1);

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AutoAssignAsync(One("net.more")));

        Assert.Equal(IpamErrorCode.BlockLimit, e.Code);
    }

    [Fact]
    public async Task Node_labels_changed_by_someone_else_move_the_next_allocation_to_the_pool_that_now_selects_the_node()
    {
        await _bed.PoolAsync("zone-a", "10.30.0.0/24", 28, s => s.NodeSelector = "zone == 'a'");
        await _bed.PoolAsync("zone-b", "10.40.0.0/24", 28, s => s.NodeSelector = "zone == 'b'");
        var p = (await _bed.Resources.GetAsync<IPPool>("p"))!;
        p.Spec.NodeSelector = "!all()";
        await _bed.Resources.UpdateAsync(p);
        await _bed.NodeAsync("host-a", new Dictionary<string, string> { ["zone"] = "a" });
        var ipam = new IpamClient(_bed.Store, new IpamOptions { Time = _bed.Time });
        Assert.StartsWith("10.30.", (await ipam.AutoAssignAsync(One("net.first"))).IPv4[0].Address.ToString(), StringComparison.Ordinal);

        var other = new ResourceClient(_bed.NewClient(ownConnection: true).Store.Datastore);
        var node = (await other.GetAsync<Node>("host-a"))!;
        node.Metadata.Labels = new Dictionary<string, string> { ["zone"] = "b" };
        await other.UpdateAsync(node);

        Assert.StartsWith("10.40.", (await ipam.AutoAssignAsync(One("net.second"))).IPv4[0].Address.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A client past its block claim and its first full read: its allocations are answered from what it knows.</summary>
    private async Task<(ListCountingStore Store, IpamClient Ipam, AssignedAddress Last)> SettledClientAsync()
    {
        var store = new ListCountingStore(_bed.Store);
        var ipam = new IpamClient(store, new IpamOptions { Time = _bed.Time });
        await ipam.AutoAssignAsync(One("net.0"));
        _bed.Time.Advance(TimeSpan.FromSeconds(2));
        await ipam.AutoAssignAsync(One("net.1"));
        await ipam.AutoAssignAsync(One("net.2"));
        var gets = store.BlockGets;
        var last = (await ipam.AutoAssignAsync(One("net.3"))).IPv4[0];
        Assert.Equal(gets, store.BlockGets);
        return (store, ipam, last);
    }

    [Fact]
    public async Task A_block_written_by_someone_else_after_the_revision_check_is_read_again_never_reused()
    {
        var (store, ipam, last) = await SettledClientAsync();
        var other = _bed.NewClient(ownConnection: true);
        // The address the host would take next goes to someone else between its revision check and its commit.
        var next = IpamAddress(last.Address, 1);
        store.AfterNextRevision = () => other.AssignIpAsync(new AssignIpRequest { Address = next, Host = "host-b", HandleId = "net.other" });

        var got = (await ipam.AutoAssignAsync(One("net.after"))).IPv4[0];

        Assert.NotEqual(next, got.Address.Address.ToString());
        Assert.Equal("net.other", (await ipam.GetAllocationAsync(next))!.HandleId);
        Assert.Equal("net.after", (await ipam.GetAllocationAsync(got.Address.Address.ToString()))!.HandleId);
    }

    [Fact]
    public async Task A_release_racing_a_write_by_someone_else_reads_the_block_again()
    {
        var (store, ipam, last) = await SettledClientAsync();
        var other = _bed.NewClient(ownConnection: true);
        var next = IpamAddress(last.Address, 1);
        store.AfterNextRevision = () => other.AssignIpAsync(new AssignIpRequest { Address = next, Host = "host-b", HandleId = "net.other" });

        Assert.Equal(1, await ipam.ReleaseByHandleAsync("net.3"));

        Assert.Equal("net.other", (await ipam.GetAllocationAsync(next))!.HandleId);
        Assert.Null(await ipam.GetAllocationAsync(last.Address.Address.ToString()));
        Assert.Equal("net.2", (await ipam.GetAllocationAsync(IpamAddress(last.Address, -1)))!.HandleId);
    }

    private static string IpamAddress(IpPrefix address, int offset) => IpPrefix.V4(address.V4Bits + (uint)offset, 32).Address.ToString();
}
