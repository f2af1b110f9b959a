using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Tests.Fixtures;

namespace Tabby.Ipam.Tests.Client;

public sealed class AutoAssignTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static AutoAssignRequest V4(string host, int count = 1, string? handle = null) =>
        new() { Host = host, Num4 = count, HandleId = handle ?? $"net.{Guid.NewGuid():N}" };

    [Fact]
    public async Task The_first_address_claims_a_block_for_the_host_with_a_confirmed_affinity()
    {
        await _bed.PoolAsync("p", "10.20.0.0/16", 26);
        var result = await _bed.Ipam.AutoAssignAsync(V4("host-a", handle: "net.c1"));

        var a = Assert.Single(result.IPv4);
        Assert.Equal(26, a.Block.Length);
        Assert.True(a.Block.Contains(a.Address));
        Assert.False(a.Borrowed);
        var affinity = await _bed.Ipam.Store.GetAffinityAsync("host-a", a.Block, default);
        Assert.Equal(AffinityState.Confirmed, affinity!.Value.State);
        var block = await _bed.Ipam.Store.GetBlockAsync(a.Block, default);
        Assert.Equal("host:host-a", block!.Data.Affinity);
        var handle = await _bed.Ipam.Store.GetHandleAsync("net.c1", default);
        Assert.Equal(1, handle!.Value.Block[a.Block.ToString()]);
    }

    [Fact]
    public async Task A_host_fills_its_own_block_before_it_claims_another()
    {
        await _bed.PoolAsync("p", "10.20.0.0/16", 29);
        var blocks = new List<IpPrefix>();
        for (var i = 0; i < 12; i++)
            blocks.Add(Assert.Single((await _bed.Ipam.AutoAssignAsync(V4("host-a"))).IPv4).Block);

        Assert.Equal(2, blocks.Distinct().Count());
        Assert.All(blocks.Take(8), b => Assert.Equal(blocks[0], b));
        Assert.All(blocks.Skip(8), b => Assert.NotEqual(blocks[0], b));
    }

    [Fact]
    public async Task Hosts_claim_different_blocks()
    {
        await _bed.PoolAsync("p", "10.20.0.0/16", 26);
        var a = (await _bed.Ipam.AutoAssignAsync(V4("host-a"))).IPv4[0].Block;
        var b = (await _bed.Ipam.AutoAssignAsync(V4("host-b"))).IPv4[0].Block;
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Past_the_block_limit_a_host_borrows_from_another_hosts_block()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 30);
        await _bed.Ipam.ConfigureAsync(maxBlocksPerHost: 1);
        var other = (await _bed.Ipam.AutoAssignAsync(V4("host-b"))).IPv4[0];
        var own = await _bed.Ipam.AutoAssignAsync(V4("host-a", 4));
        Assert.Single(own.IPv4.Select(x => x.Block).Distinct());

        var borrowed = Assert.Single((await _bed.Ipam.AutoAssignAsync(V4("host-a"))).IPv4);
        Assert.True(borrowed.Borrowed);
        Assert.Equal(other.Block, borrowed.Block);
        Assert.Single(await _bed.Ipam.Store.ListAffinitiesAsync("host-a", false, default));
    }

    [Fact]
    public async Task Strict_affinity_never_borrows_and_says_the_limit_was_reached()
    {
        await _bed.PoolAsync("p", "10.20.0.0/24", 30);
        await _bed.Ipam.ConfigureAsync(strictAffinity: true, maxBlocksPerHost: 1);
        await _bed.Ipam.AutoAssignAsync(V4("host-b"));
        await _bed.Ipam.AutoAssignAsync(V4("host-a", 4));

        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-a")));
        Assert.Equal(IpamErrorCode.BlockLimit, e.Code);
        Assert.Contains("limit of 1 blocks", e.Message, StringComparison.Ordinal);
        Assert.Contains("strict affinity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_pool_is_exhausted_and_a_request_it_cannot_fill_takes_nothing()
    {
        await _bed.PoolAsync("p", "10.20.0.0/30", 31);
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-a", 5, "net.big")));
        Assert.Equal(IpamErrorCode.Exhausted, e.Code);
        Assert.Contains("10.20.0.0/30", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _bed.Ipam.IpsByHandleAsync("net.big"));
        Assert.Null(await _bed.Ipam.Store.GetHandleAsync("net.big", default));

        // The four addresses are all there for a request that fits.
        Assert.Equal(4, (await _bed.Ipam.AutoAssignAsync(V4("host-a", 4))).IPv4.Count);
    }

    [Fact]
    public async Task Reserved_addresses_and_wholly_reserved_blocks_are_never_handed_out()
    {
        await _bed.PoolAsync("p", "10.20.0.0/28", 30);
        await _bed.ReservationAsync("r", "10.20.0.0/29", "10.20.0.9");
        var got = new List<IpPrefix>();
        for (var i = 0; i < 7; i++)
            got.Add((await _bed.Ipam.AutoAssignAsync(V4($"host-{i % 2}"))).IPv4[0].Address);

        Assert.Equal(7, got.Distinct().Count());
        Assert.DoesNotContain(got, a => IpPrefix.Parse("10.20.0.0/29").Contains(a));
        Assert.DoesNotContain(IpPrefix.Parse("10.20.0.9/32"), got);
        await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-0")));
    }

    [Fact]
    public async Task Dual_stack_gives_one_address_of_each_family_or_none()
    {
        await _bed.PoolAsync("v4", "10.20.0.0/16");
        var request = new AutoAssignRequest { Host = "host-a", Num4 = 1, Num6 = 1, HandleId = "net.dual" };
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(request));
        Assert.Equal(IpamErrorCode.NoQualifiedPool, e.Code);
        Assert.Contains("IPv6", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _bed.Ipam.IpsByHandleAsync("net.dual"));

        await _bed.PoolAsync("v6", "fd00:20::/48");
        var result = await _bed.Ipam.AutoAssignAsync(request);
        Assert.False(Assert.Single(result.IPv4).Address.IsIPv6);
        var v6 = Assert.Single(result.IPv6);
        Assert.True(v6.Address.IsIPv6);
        Assert.Equal(122, v6.Block.Length);
        Assert.Equal(2, (await _bed.Ipam.IpsByHandleAsync("net.dual")).Count);
    }

    [Fact]
    public async Task Pools_are_chosen_by_the_nodes_labels_unless_the_request_names_one()
    {
        await _bed.PoolAsync("rack-a", "10.1.0.0/16", configure: s => s.NodeSelector = "rack == 'a'");
        await _bed.PoolAsync("rack-b", "10.2.0.0/16", configure: s => s.NodeSelector = "rack == 'b'");
        await _bed.NodeAsync("host-b", new Dictionary<string, string> { ["rack"] = "b" });

        var got = (await _bed.Ipam.AutoAssignAsync(V4("host-b"))).IPv4[0];
        Assert.True(IpPrefix.Parse("10.2.0.0/16").Contains(got.Address));
        var named = (await _bed.Ipam.AutoAssignAsync(V4("host-b") with { IPv4Pools = ["10.1.0.0/16"] })).IPv4[0];
        Assert.True(IpPrefix.Parse("10.1.0.0/16").Contains(named.Address));

        var unlabelled = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-x")));
        Assert.Equal(IpamErrorCode.NoQualifiedPool, unlabelled.Code);
        Assert.Contains("selects node host-x", unlabelled.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-b") with { IPv4Pools = ["10.9.0.0/16"] }));
        Assert.Contains("10.9.0.0/16 does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_manual_and_tunnel_only_pools_are_not_used_for_workloads()
    {
        await _bed.PoolAsync("off", "10.1.0.0/16", configure: s => s.Disabled = true);
        await _bed.PoolAsync("manual", "10.2.0.0/16", configure: s => s.AssignmentMode = "Manual");
        await _bed.PoolAsync("tunnels", "10.3.0.0/16", configure: s => s.AllowedUses = ["Tunnel"]);
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("host-a")));
        Assert.Equal(IpamErrorCode.NoQualifiedPool, e.Code);
        Assert.Contains("allows use Workload", e.Message, StringComparison.Ordinal);

        var tunnel = await _bed.Ipam.AutoAssignAsync(V4("host-a") with { Use = IntendedUse.Tunnel });
        Assert.True(IpPrefix.Parse("10.3.0.0/16").Contains(tunnel.IPv4[0].Address));
        var manual = await _bed.Ipam.AutoAssignAsync(V4("host-a") with { IPv4Pools = ["manual"] });
        Assert.True(IpPrefix.Parse("10.2.0.0/16").Contains(manual.IPv4[0].Address));
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_anything_is_read()
    {
        Assert.Equal(IpamErrorCode.InvalidRequest, (await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "", Num4 = 1 }))).Code);
        Assert.Equal(IpamErrorCode.InvalidRequest, (await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "h", Num4 = 0 }))).Code);
        Assert.Equal(IpamErrorCode.InvalidRequest, (await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "h", Num4 = 1, HandleId = "a/b" }))).Code);
        Assert.Equal(IpamErrorCode.NoQualifiedPool, (await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AutoAssignAsync(V4("h")))).Code);
    }
}
