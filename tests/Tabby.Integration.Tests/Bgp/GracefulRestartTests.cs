using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>RFC 4724 with Tabby restarting: kill -9 the speaker, BIRD and FRR keep its routes, and sweep the stale ones after its End-of-RIB.</summary>
public sealed class GracefulRestartTests : IDisposable
{
    private readonly NamespaceSet _namespaces = new("bgpgr");
    private readonly string _work;
    private readonly List<IDisposable> _processes = [];

    public GracefulRestartTests()
    {
        _work = Directory.CreateTempSubdirectory("tabby-bgpgr-").FullName;
        File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    [Fact]
    public async Task Peers_keep_a_killed_speakers_routes_until_it_returns_and_sends_end_of_rib()
    {
        var segment = Segment.Build(_namespaces, 3);
        var (tabby, birdHost, frrHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var before = IpPrefix.Parse("10.210.0.0/24");
        var after = IpPrefix.Parse("10.211.0.0/24");
        var bird = Keep(BirdDaemon.Start(birdHost.Namespace, new BgpRouterSpec(birdHost.Address, 65001, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        }, Path.Combine(_work, "bird")));
        var frr = Keep(FrrDaemon.Start(frrHost.Namespace, new BgpRouterSpec(frrHost.Address, 65002, frrHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        }, Path.Combine(_work, "frr")));

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
        var config = Path.Combine(_work, $"tabby-{name}.yaml");
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
        string[] argv = ["dotnet", TabbyCommand.DllPath(), "bgp", "run", "--config", config, "--control", Path.Combine(_work, $"{name}.sock")];
        var process = DaemonProcess.Start(where.Namespace, Path.Combine(_work, $"tabby-{name}.log"), restarting ? [.. argv, "--restarting"] : argv);
        _processes.Add(process);
        return process;
    }

    private T Keep<T>(T daemon)
        where T : IDisposable
    {
        _processes.Add(daemon);
        return daemon;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Dispose();
        _namespaces.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
