using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>The lab's BIRD, FRR and GoBGP harness works on its own, so interop failures point at Tabby, not at the rig.</summary>
public sealed class ReferenceDaemonTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("refd");

    [Fact]
    public async Task Bird_frr_and_gobgp_form_an_ebgp_mesh_and_learn_each_others_prefixes()
    {
        var segment = _lab.BuildSegment(3);
        var (r0, r1, r2) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var p0 = IpPrefix.Parse("10.100.0.0/24");
        var p1 = IpPrefix.Parse("10.101.0.0/24");
        var p2 = IpPrefix.Parse("10.102.0.0/24");

        var bird = _lab.StartDaemon("bird", r0, new BgpRouterSpec(r0.Address, 65001, r0.Address)
        {
            Neighbors = [new BgpNeighborSpec(r1.Address, 65002), new BgpNeighborSpec(r2.Address, 65003)],
            Originate = [p0],
        });
        var frr = _lab.StartDaemon("frr", r1, new BgpRouterSpec(r1.Address, 65002, r1.Address)
        {
            Neighbors = [new BgpNeighborSpec(r0.Address, 65001), new BgpNeighborSpec(r2.Address, 65003)],
            Originate = [p1],
        });
        var gobgp = _lab.StartDaemon("gobgp", r2, new BgpRouterSpec(r2.Address, 65003, r2.Address)
        {
            Neighbors = [new BgpNeighborSpec(r0.Address, 65001), new BgpNeighborSpec(r1.Address, 65002)],
            Originate = [p2],
        });

        await bird.WaitEstablishedAsync(r1.Address);
        await bird.WaitEstablishedAsync(r2.Address);
        await frr.WaitEstablishedAsync(r2.Address);
        await bird.WaitForPrefixesAsync([p0, p1, p2]);
        await frr.WaitForPrefixesAsync([p0, p1, p2]);
        await gobgp.WaitForPrefixesAsync([p0, p1, p2]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
