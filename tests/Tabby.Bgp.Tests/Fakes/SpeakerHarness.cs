using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tabby.Bgp.Config;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Speaker;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>A speaker whose peers are scripted neighbours on in-memory connections, with a fake clock for graceful-restart and session timers.</summary>
internal sealed class SpeakerHarness : IAsyncDisposable
{
    public const uint LocalAs = 65000;
    public static readonly IPAddress LocalAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress LocalAddress6 = IPAddress.Parse("2001:db8::1");
    private readonly List<ScriptedPeer> _peers = [];
    private int _ports = 40000;

    public SpeakerHarness(BgpSpeakerConfig? config = null, ILoggerFactory? loggers = null)
    {
        Config = config ?? new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId("192.0.2.1"), LocalAs) { Listen = null };
        Speaker = new BgpSpeaker(Config, _ => throw new InvalidOperationException("no sockets in this harness"),
            (_, _) => throw new SocketException((int)SocketError.ConnectionRefused), Time, loggers);
        Speaker.Start();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public BgpSpeakerConfig Config { get; }
    public BgpSpeaker Speaker { get; }

    /// <summary>A passive peer configuration with the harness's defaults (hold 90 s, IPv4 unicast).</summary>
    public static BgpPeerConfig Peer(string address, uint asn, params BgpFamily[] families) =>
        new(IPAddress.Parse(address), asn) { Passive = true, Families = families.Length == 0 ? [BgpFamily.Ipv4Unicast] : families };

    /// <summary>The neighbour's OPEN, with hold time 0 so the fake clock can jump minutes without the session timing out.</summary>
    public static BgpOpen Open(uint asn, string routerId, IReadOnlyList<BgpFamily>? families = null, GracefulRestartCapability? gracefulRestart = null)
    {
        var caps = new List<BgpCapability>();
        foreach (var f in families ?? [BgpFamily.Ipv4Unicast])
            caps.Add(new MultiprotocolCapability(f));
        caps.Add(RouteRefreshCapability.Instance);
        caps.Add(new FourOctetAsCapability(asn));
        if (gracefulRestart is not null)
            caps.Add(gracefulRestart);
        return BgpOpen.Create(asn, 0, BgpSpeakerConfig.ParseRouterId(routerId), caps);
    }

    /// <summary>A graceful-restart capability listing <paramref name="families"/> with the forwarding-state bit set (unless listed in <paramref name="notForwarding"/>).</summary>
    public static GracefulRestartCapability Restart(ushort seconds, BgpFamily[] families, BgpFamily[]? notForwarding = null, bool notification = false) =>
        new(false, notification, seconds, families.Select(f => new GracefulRestartFamily(f, !(notForwarding ?? []).Contains(f))).ToArray());

    /// <summary>Connects the scripted neighbour at <paramref name="address"/> (configured with AddPeer first) and completes the OPEN exchange.</summary>
    public async Task<ScriptedPeer> ConnectAsync(string address, BgpOpen open)
    {
        var remote = IPAddress.Parse(address);
        var local = remote.AddressFamily == AddressFamily.InterNetworkV6 ? LocalAddress6 : LocalAddress;
        var transitions = Speaker.Peers().Single(p => p.Address.Equals(remote)).EstablishedTransitions;
        var (ours, theirs) = MemoryTransport.Pair(new IPEndPoint(local, 179), new IPEndPoint(remote, _ports++));
        var peer = new ScriptedPeer(theirs);
        _peers.Add(peer);
        Assert.True(Speaker.AcceptInbound(remote, ours));
        await peer.HandshakeAsync(open);
        await Eventually.HoldsAsync(() => Speaker.Peers().Single(p => p.Address.Equals(remote)) is { State: BgpSessionState.Established } s && s.EstablishedTransitions > transitions,
            $"{address} Established");
        return peer;
    }

    public PeerStatus Status(string address) => Speaker.Peers().Single(p => p.Address.Equals(IPAddress.Parse(address)));

    public FamilyStatus Status(string address, BgpFamily family) => Status(address).Families.Single(f => f.Family == family);

    /// <summary>Waits until the peer at <paramref name="address"/> has shown the speaker its session is gone.</summary>
    public Task WaitDownAsync(string address) =>
        Eventually.HoldsAsync(() => Status(address).State != BgpSessionState.Established, $"{address} down");

    /// <summary>Every candidate path now, by prefix (read on the RIB loop, so it reflects everything processed so far).</summary>
    public async Task<IReadOnlyList<RibPath>> CandidatesAsync(IpPrefix prefix) => await Speaker.CandidatesAsync(prefix);

    /// <summary>Waits until the speaker's best paths satisfy <paramref name="condition"/>.</summary>
    public async Task WaitBestAsync(Func<IReadOnlyList<RibPath>, bool> condition, string what)
    {
        IReadOnlyList<RibPath> best = [];
        await Eventually.HoldsAsync(() =>
        {
            best = Speaker.BestPathsAsync().GetAwaiter().GetResult();
            return condition(best);
        }, what, state: () => $"best: {string.Join("; ", best)}");
    }

    /// <summary>Waits until everything queued on the RIB loop so far (updates, session events, timers) has been handled.</summary>
    public Task DrainAsync() => Speaker.BestPathsAsync();

    public async ValueTask DisposeAsync()
    {
        await Speaker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        foreach (var peer in _peers)
            peer.Dispose();
    }
}
