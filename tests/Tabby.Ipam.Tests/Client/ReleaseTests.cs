using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Tests.Fixtures;

namespace Tabby.Ipam.Tests.Client;

public sealed class ReleaseTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public async Task InitializeAsync() => await _bed.PoolAsync("p", "10.20.0.0/16", 29);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Release_by_handle_frees_every_address_in_every_block_and_deletes_the_handle()
    {
        var got = await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 12, HandleId = "net.many" });
        Assert.Equal(2, got.IPv4.Select(a => a.Block).Distinct().Count());
        Assert.Equal(12, (await _bed.Ipam.IpsByHandleAsync("net.many")).Count);

        Assert.Equal(12, await _bed.Ipam.ReleaseByHandleAsync("net.many"));
        Assert.Null(await _bed.Ipam.Store.GetHandleAsync("net.many", default));
        foreach (var a in got.IPv4)
            Assert.Null(await _bed.Ipam.GetAllocationAsync(a.Address.Address.ToString()));
        Assert.Equal(0, await _bed.Ipam.ReleaseByHandleAsync("net.many"));
    }

    [Fact]
    public async Task Release_by_address_keeps_the_handle_count_and_deletes_it_at_zero()
    {
        var got = await _bed.Ipam.AutoAssignAsync(new AutoAssignRequest { Host = "host-a", Num4 = 2, HandleId = "net.two" });
        var first = got.IPv4[0].Address.Address.ToString();
        var results = await _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest(first)]);
        Assert.Equal(ReleaseOutcome.Released, Assert.Single(results).Outcome);
        Assert.Equal(1, (await _bed.Ipam.Store.GetHandleAsync("net.two", default))!.Value.Block[got.IPv4[0].Block.ToString()]);

        var again = await _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest(first), new ReleaseRequest(got.IPv4[1].Address.Address.ToString()), new ReleaseRequest("10.99.0.1")]);
        Assert.Equal([ReleaseOutcome.NotAllocated, ReleaseOutcome.Released, ReleaseOutcome.NotAllocated], again.Select(r => r.Outcome));
        Assert.Null(await _bed.Ipam.Store.GetHandleAsync("net.two", default));
    }

    [Fact]
    public async Task A_stale_release_cannot_free_an_address_that_was_reused_since()
    {
        var first = (await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.3", Host = "host-a", HandleId = "net.old" }));
        await _bed.Ipam.ReleaseByHandleAsync("net.old");
        var second = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.3", Host = "host-a", HandleId = "net.new" });
        Assert.NotEqual(first.SequenceNumber, second.SequenceNumber);

        var stale = Assert.Single(await _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest("10.20.0.3", SequenceNumber: first.SequenceNumber)]));
        Assert.Equal(ReleaseOutcome.Skipped, stale.Outcome);
        Assert.Contains("allocated again since", stale.Reason, StringComparison.Ordinal);
        var wrongHandle = Assert.Single(await _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest("10.20.0.3", HandleId: "net.old")]));
        Assert.Equal(ReleaseOutcome.Skipped, wrongHandle.Outcome);
        Assert.Equal("net.new", (await _bed.Ipam.GetAllocationAsync("10.20.0.3"))!.HandleId);

        var current = Assert.Single(await _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest("10.20.0.3", "net.new", second.SequenceNumber)]));
        Assert.Equal(ReleaseOutcome.Released, current.Outcome);
    }

    [Fact]
    public async Task With_a_cooldown_a_released_address_comes_back_only_after_it()
    {
        await _bed.Ipam.ConfigureAsync(ipCooldownSeconds: 30);
        var a = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.1", Host = "host-a", HandleId = "net.a" });
        await _bed.Ipam.ReleaseByHandleAsync("net.a");
        var info = await _bed.Ipam.GetAllocationAsync("10.20.0.1");
        Assert.NotNull(info!.ReleasedAt);
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.1", Host = "host-a" }));
        Assert.Contains("cooling down", e.Message, StringComparison.Ordinal);

        _bed.Time.Advance(TimeSpan.FromSeconds(30));
        var again = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.1", Host = "host-a", HandleId = "net.b" });
        Assert.Equal(a.Block, again.Block);
    }

    [Fact]
    public async Task An_address_that_does_not_parse_fails_the_whole_release()
    {
        await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.0.1", Host = "host-a", HandleId = "net.a" });
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.ReleaseIpsAsync([new ReleaseRequest("10.20.0.1"), new ReleaseRequest("nope")]));
        Assert.Equal(IpamErrorCode.InvalidRequest, e.Code);
        Assert.NotNull(await _bed.Ipam.GetAllocationAsync("10.20.0.1"));
    }
}
