using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Runtime.ExceptionServices;
using Tabby.Bgp.Config;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Speaker;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>One BGP test's rig: its namespaces, a work directory, and every speaker and daemon started in them, all torn down together.</summary>
internal sealed class BgpLab : IAsyncDisposable
{
    private static readonly TimeSpan s_speakerStopTimeout = TimeSpan.FromSeconds(10);

    private readonly NamespaceSet _namespaces;
    private readonly string _purpose;
    private readonly List<BgpSpeaker> _speakers = [];
    private readonly List<IDisposable> _processes = [];
    private string? _work;

    /// <param name="purpose">A short tag for the namespace and directory names, e.g. "bgpm".</param>
    public BgpLab(string purpose)
    {
        _namespaces = new NamespaceSet(purpose);
        _purpose = purpose;
    }

    public Segment BuildSegment(int count) => Segment.Build(_namespaces, count);

    /// <summary>A path in the lab's work directory, which is made on first use.</summary>
    public string WorkPath(string name)
    {
        if (_work is null)
        {
            _work = Directory.CreateTempSubdirectory($"tabby-{_purpose}-").FullName;
            // FRR drops privileges to user frr, which must be able to reach its state directory.
            File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return Path.Combine(_work, name);
    }

    /// <summary>A speaker listening on <paramref name="listen"/> in <paramref name="ns"/>, not yet started; the peers retry quickly, as a test wants.</summary>
    public BgpSpeaker CreateSpeaker(NetworkNamespace ns, IPAddress listen, uint asn, IPAddress routerId, params BgpPeerConfig[] peers)
    {
        var speaker = new BgpSpeaker(
            new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId(routerId.ToString()), asn) { Listen = new IPEndPoint(listen, 179) },
            family => ns.Run(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp)));
        _speakers.Add(speaker);
        foreach (var peer in peers)
            speaker.AddPeer(peer with { ConnectRetry = TimeSpan.FromMilliseconds(500), MaxConnectRetry = TimeSpan.FromSeconds(2) });
        return speaker;
    }

    public BgpSpeaker StartSpeaker(NetworkNamespace ns, IPAddress address, uint asn, params BgpPeerConfig[] peers) =>
        StartSpeaker(ns, address, asn, address, peers);

    public BgpSpeaker StartSpeaker(NetworkNamespace ns, IPAddress listen, uint asn, IPAddress routerId, params BgpPeerConfig[] peers)
    {
        var speaker = CreateSpeaker(ns, listen, asn, routerId, peers);
        speaker.Start();
        return speaker;
    }

    /// <summary>Starts "bird", "frr" or "gobgp" in <paramref name="where"/>'s namespace, with a state directory of its own.</summary>
    public IBgpDaemon StartDaemon(string kind, SegmentMember where, BgpRouterSpec spec)
    {
        var dir = WorkPath(kind + _processes.Count.ToString(CultureInfo.InvariantCulture));
        IBgpDaemon daemon = kind switch
        {
            "bird" => BirdDaemon.Start(where.Namespace, spec, dir),
            "frr" => FrrDaemon.Start(where.Namespace, spec, dir),
            "gobgp" => GobgpDaemon.Start(where.Namespace, spec, dir),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "bird, frr or gobgp"),
        };
        return Keep(daemon);
    }

    /// <summary>Stops <paramref name="process"/> with the lab.</summary>
    public T Keep<T>(T process)
        where T : IDisposable
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until <paramref name="speaker"/> has (or no longer has) a best path to <paramref name="prefix"/> learned from a peer.</summary>
    public static Task WaitForBestAsync(BgpSpeaker speaker, IpPrefix prefix, bool present) =>
        CommandRunner.WaitUntilAsync(() =>
        {
            var best = speaker.BestPathsAsync().GetAwaiter().GetResult();
            var has = best.Any(p => p.Prefix == prefix && p.Peer.Kind != PeerKind.Local);
            return (has == present, $"tabby best paths: {string.Join(", ", best.Select(p => p.Prefix))}; peers: {string.Join("; ", speaker.Peers())}");
        }, TimeSpan.FromSeconds(30), $"tabby to {(present ? "learn" : "lose")} {prefix}");

    /// <summary>Speakers, then daemons, then namespaces and the work directory: every step runs even when one before it throws, and the failures are rethrown at the end.</summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var speaker in _speakers)
        {
            try
            {
                await speaker.DisposeAsync().AsTask().WaitAsync(s_speakerStopTimeout);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        foreach (var process in _processes)
            Record(failures, process.Dispose);
        Record(failures, _namespaces.Dispose);
        if (_work is { } work)
            Record(failures, () => Directory.Delete(work, recursive: true));
        if (failures.Count == 1)
            ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1)
            throw new AggregateException("the BGP lab did not tear down cleanly", failures);
    }

    private static void Record(List<Exception> failures, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
    }
}
