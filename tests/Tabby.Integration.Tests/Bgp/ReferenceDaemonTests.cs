using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>The lab's BIRD, FRR and GoBGP harness works on its own, so interop failures point at Tabby, not at the rig.</summary>
public sealed class ReferenceDaemonTests : IDisposable
{
    private readonly NamespaceSet _namespaces = new("refd");
    private readonly string _work = Directory.CreateTempSubdirectory("tabby-refd-").FullName;

    public ReferenceDaemonTests() =>
        // FRR drops privileges to user frr, which must be able to reach its state directory.
        File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    private readonly List<IBgpDaemon> _daemons = [];

    [Fact]
    public async Task Bird_frr_and_gobgp_form_an_ebgp_mesh_and_learn_each_others_prefixes()
    {
        var segment = Segment.Build(_namespaces, 3);
        var (r0, r1, r2) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var p0 = IpPrefix.Parse("10.100.0.0/24");
        var p1 = IpPrefix.Parse("10.101.0.0/24");
        var p2 = IpPrefix.Parse("10.102.0.0/24");

        var bird = Keep(BirdDaemon.Start(r0.Namespace, new BgpRouterSpec(r0.Address, 65001, r0.Address)
        {
            Neighbors = [new BgpNeighborSpec(r1.Address, 65002), new BgpNeighborSpec(r2.Address, 65003)],
            Originate = [p0],
        }, Path.Combine(_work, "bird")));
        var frr = Keep(FrrDaemon.Start(r1.Namespace, new BgpRouterSpec(r1.Address, 65002, r1.Address)
        {
            Neighbors = [new BgpNeighborSpec(r0.Address, 65001), new BgpNeighborSpec(r2.Address, 65003)],
            Originate = [p1],
        }, Path.Combine(_work, "frr")));
        var gobgp = Keep(GobgpDaemon.Start(r2.Namespace, new BgpRouterSpec(r2.Address, 65003, r2.Address)
        {
            Neighbors = [new BgpNeighborSpec(r0.Address, 65001), new BgpNeighborSpec(r1.Address, 65002)],
            Originate = [p2],
        }, Path.Combine(_work, "gobgp")));

        await bird.WaitEstablishedAsync(r1.Address);
        await bird.WaitEstablishedAsync(r2.Address);
        await frr.WaitEstablishedAsync(r2.Address);
        await bird.WaitForPrefixesAsync([p0, p1, p2]);
        await frr.WaitForPrefixesAsync([p0, p1, p2]);
        await gobgp.WaitForPrefixesAsync([p0, p1, p2]);
    }

    private T Keep<T>(T daemon)
        where T : IBgpDaemon
    {
        _daemons.Add(daemon);
        return daemon;
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
            daemon.Dispose();
        _namespaces.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
