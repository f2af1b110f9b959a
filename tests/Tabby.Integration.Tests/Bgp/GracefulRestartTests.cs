using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>RFC 4724 with Tabby restarting: kill -9 the speaker, BIRD and FRR keep its routes, and sweep the stale ones after its End-of-RIB.</summary>
public sealed class GracefulRestartTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("bgpgr");

    [Fact]
    public async Task Peers_keep_a_killed_speakers_routes_until_it_returns_and_sends_end_of_rib()
    {
        var segment = _lab.BuildSegment(3);
        var (tabby, birdHost, frrHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var before = IpPrefix.Parse("10.210.0.0/24");
        var after = IpPrefix.Parse("10.211.0.0/24");
        var bird = _lab.StartDaemon("bird", birdHost, new BgpRouterSpec(birdHost.Address, 65001, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        });
        var frr = _lab.StartDaemon("frr", frrHost, new BgpRouterSpec(frrHost.Address, 65002, frrHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        });

        var first = StartTabby(tabby, [before], restarting: false, "first");
        await bird.WaitForPrefixesAsync([before]);
        await frr.WaitForPrefixesAsync([before]);

        first.Kill();
        await CommandRunner.WaitUntilAsync(() => (!bird.IsEstablished(tabby.Address) && !frr.IsEstablished(tabby.Address), "sessions still up"),
            TimeSpan.FromSeconds(30), "BIRD and FRR to notice the speaker is gone");
        Assert.Contains(before, bird.Prefixes());
        Assert.Contains(before, frr.Prefixes());

        var second = StartTabby(tabby, [after], restarting: true, "second");
        await bird.WaitForPrefixesAsync([after]);
        await frr.WaitForPrefixesAsync([after]);
        // Restart time is 120 s: a sweep within 30 s can only come from our End-of-RIB.
        await bird.WaitForAbsenceAsync([before]);
        await frr.WaitForAbsenceAsync([before]);
        Assert.False(second.HasExited, second.Tail());
    }

    private DaemonProcess StartTabby(SegmentMember where, IReadOnlyList<IpPrefix> originate, bool restarting, string name)
    {
        var config = _lab.WorkPath($"tabby-{name}.yaml");
        File.WriteAllText(config, $"""
            routerId: {where.Address}
            as: 65000
            listen: {where.Address}:179
            restartTime: 120
            peers:
              - address: 10.0.0.2
                as: 65001
                holdTime: 9
                connectRetry: 0.5
              - address: 10.0.0.3
                as: 65002
                holdTime: 9
                connectRetry: 0.5
            originate: [{string.Join(", ", originate)}]
            """);
        string[] argv = [.. TabbyCommand.Argv(), "bgp", "run", "--config", config, "--control", _lab.WorkPath($"{name}.sock")];
        return _lab.Keep(DaemonProcess.Start(where.Namespace, _lab.WorkPath($"tabby-{name}.log"), restarting ? [.. argv, "--restarting"] : argv));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
