using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Tests.Fixtures;

namespace Tabby.Ipam.Tests.Client;

public sealed class AssignIpTests : IAsyncLifetime
{
    private readonly IpamBed _bed = new();

    public async Task InitializeAsync() => await _bed.PoolAsync("p", "10.20.0.0/16", 24);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_requested_address_claims_its_block_for_the_host()
    {
        var got = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.7.9", Host = "host-a", HandleId = "net.c1" });
        Assert.Equal(IpPrefix.Parse("10.20.7.9/32"), got.Address);
        Assert.Equal(IpPrefix.Parse("10.20.7.0/24"), got.Block);
        Assert.False(got.Borrowed);
        var info = await _bed.Ipam.GetAllocationAsync("10.20.7.9");
        Assert.Equal("net.c1", info!.HandleId);
        Assert.Equal("host:host-a", info.BlockAffinity);
        Assert.Equal(got.SequenceNumber, info.SequenceNumber);
    }

    [Fact]
    public async Task An_address_in_another_hosts_block_is_borrowed_unless_affinity_is_strict()
    {
        await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.7.1", Host = "host-b", HandleId = "net.b" });
        var borrowed = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.7.2", Host = "host-a", HandleId = "net.a" });
        Assert.True(borrowed.Borrowed);

        await _bed.Ipam.ConfigureAsync(strictAffinity: true);
        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.7.3", Host = "host-a" }));
        Assert.Equal(IpamErrorCode.StrictAffinity, e.Code);
        Assert.Contains("host:host-b", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.99.0.1", IpamErrorCode.NotInPool, "not in any IP pool")]
    [InlineData("10.21.0.1", IpamErrorCode.NotInPool, "which is disabled")]
    [InlineData("10.20.9.9", IpamErrorCode.Reserved, "reserved by an IPReservation")]
    [InlineData("10.20.1.1", IpamErrorCode.InUse, "already allocated to handle 'net.first'")]
    [InlineData("10.20.1", IpamErrorCode.InvalidRequest, "not an IP address")]
    [InlineData("010.20.1.1", IpamErrorCode.InvalidRequest, "not an IP address")]
    [InlineData("10.20.1.1/32", IpamErrorCode.InvalidRequest, "not an IP address")]
    public async Task A_requested_address_that_cannot_be_had_is_refused_with_the_reason(string address, IpamErrorCode code, string reason)
    {
        await _bed.PoolAsync("off", "10.21.0.0/16", configure: s => s.Disabled = true);
        await _bed.ReservationAsync("r", "10.20.9.0/24");
        await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.1.1", Host = "host-a", HandleId = "net.first" });

        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = address, Host = "host-a", HandleId = "net.second" }));
        Assert.Equal(code, e.Code);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Null(await _bed.Ipam.Store.GetHandleAsync("net.second", default));
    }

    [Fact]
    public async Task A_block_keeps_its_size_when_the_pool_block_size_changes()
    {
        await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.3.1", Host = "host-a", HandleId = "net.a" });
        var pool = (await _bed.Resources.GetAsync<Tabby.Api.Resources.IPPool>("p"))!;
        pool.Spec.BlockSize = 26;
        await _bed.Resources.UpdateAsync(pool);

        var e = await Assert.ThrowsAsync<IpamException>(() => _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.3.1", Host = "host-a" }));
        Assert.Equal(IpamErrorCode.InUse, e.Code);
        var other = await _bed.Ipam.AssignIpAsync(new AssignIpRequest { Address = "10.20.3.200", Host = "host-a" });
        Assert.Equal(IpPrefix.Parse("10.20.3.0/24"), other.Block);
    }
}
