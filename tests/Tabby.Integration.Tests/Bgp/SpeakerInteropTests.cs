using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Speaker;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>Tabby's speaker against BIRD, FRR and GoBGP, each in its own namespace on one segment.</summary>
public sealed class SpeakerInteropTests : IAsyncLifetime
{
    private readonly NamespaceSet _namespaces = new("bgpi");
    private readonly string _work;
    private readonly List<IBgpDaemon> _daemons = [];
    private BgpSpeaker? _speaker;

    public SpeakerInteropTests()
    {
        _work = Directory.CreateTempSubdirectory("tabby-bgpi-").FullName;
        // FRR drops privileges to user frr, which must be able to reach its state directory.
        File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    [Theory]
    [InlineData("bird", false)]
    [InlineData("frr", false)]
    [InlineData("gobgp", false)]
    [InlineData("bird", true)]
    [InlineData("frr", true)]
    [InlineData("gobgp", true)]
    public async Task Tabby_exchanges_and_withdraws_routes_with_a_reference_daemon(string kind, bool ibgp)
    {
        var segment = Segment.Build(_namespaces, 2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        const uint tabbyAs = 4200000001;
        var peerAs = ibgp ? tabbyAs : 65010u;
        var ours = IpPrefix.Parse("10.200.0.0/24");
        var theirs = IpPrefix.Parse("10.201.0.0/24");

        _speaker = StartSpeaker(tabby.Namespace, tabby.Address, tabbyAs, new BgpPeerConfig(peer.Address, peerAs) { HoldTime = 9 });
        _speaker.Originate(ours);
        var daemon = StartDaemon(kind, peer, new BgpRouterSpec(peer.Address, peerAs, peer.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, tabbyAs)],
            Originate = [theirs],
        });

        await daemon.WaitEstablishedAsync(tabby.Address);
        await daemon.WaitForPrefixesAsync([ours]);
        await WaitForBestAsync(theirs, present: true);

        _speaker.Withdraw(ours);
        await daemon.WaitForAbsenceAsync([ours]);
    }

    private BgpSpeaker StartSpeaker(NetworkNamespace ns, IPAddress address, uint asn, params BgpPeerConfig[] peers)
    {
        var speaker = new BgpSpeaker(
            new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId(address.ToString()), asn) { Listen = new IPEndPoint(address, 179) },
            family => ns.Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp)));
        foreach (var peer in peers)
            speaker.AddPeer(peer with { ConnectRetry = TimeSpan.FromMilliseconds(500), MaxConnectRetry = TimeSpan.FromSeconds(2) });
        speaker.Start();
        return speaker;
    }

    private IBgpDaemon StartDaemon(string kind, SegmentMember where, BgpRouterSpec spec)
    {
        var dir = Path.Combine(_work, kind);
        IBgpDaemon daemon = kind switch
        {
            "bird" => BirdDaemon.Start(where.Namespace, spec, dir),
            "frr" => FrrDaemon.Start(where.Namespace, spec, dir),
            _ => GobgpDaemon.Start(where.Namespace, spec, dir),
        };
        _daemons.Add(daemon);
        return daemon;
    }

    private async Task WaitForBestAsync(IpPrefix prefix, bool present)
    {
        await CommandRunner.WaitUntilAsync(() =>
        {
            var best = _speaker!.BestPathsAsync().GetAwaiter().GetResult();
            var has = best.Any(p => p.Prefix == prefix && p.Peer.Kind != Tabby.Bgp.Rib.PeerKind.Local);
            return (has == present, $"tabby best paths: {string.Join(", ", best.Select(p => p.Prefix))}; peers: {string.Join("; ", _speaker.Peers())}");
        }, TimeSpan.FromSeconds(30), $"tabby to {(present ? "learn" : "lose")} {prefix}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            if (_speaker is not null)
                await _speaker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var daemon in _daemons)
                daemon.Dispose();
            _namespaces.Dispose();
            Directory.Delete(_work, recursive: true);
        }
    }
}
