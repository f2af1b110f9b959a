using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Config;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>Outgoing connections for a session under test: refused, or answered by a <see cref="ScriptedPeer"/> the test then plays.</summary>
internal sealed class ScriptedDialer
{
    private readonly ConcurrentQueue<ScriptedPeer> _answered = new();
    private readonly TimeProvider _time;
    private int _attempts;

    public ScriptedDialer(TimeProvider time) => _time = time;

    /// <summary>When true every attempt is refused, as by a host with nothing listening on port 179.</summary>
    public bool Refuse { get; set; } = true;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>When each attempt was made, in the fake clock's time.</summary>
    public ConcurrentQueue<DateTimeOffset> AttemptTimes { get; } = new();

    public IPEndPoint LocalEndPoint { get; set; } = new(IPAddress.Parse("192.0.2.1"), 40000);

    public Task<Tabby.Bgp.Session.IBgpTransport> DialAsync(BgpPeerConfig peer, CancellationToken cancel)
    {
        AttemptTimes.Enqueue(_time.GetUtcNow());
        Interlocked.Increment(ref _attempts);
        if (Refuse)
            throw new SocketException((int)SocketError.ConnectionRefused);
        var (ours, theirs) = MemoryTransport.Pair(LocalEndPoint, new IPEndPoint(peer.Address, peer.Port));
        _answered.Enqueue(new ScriptedPeer(theirs));
        return Task.FromResult<Tabby.Bgp.Session.IBgpTransport>(ours);
    }

    /// <summary>The peer side of the next answered attempt.</summary>
    public async Task<ScriptedPeer> NextAnsweredAsync()
    {
        await Eventually.HoldsAsync(() => !_answered.IsEmpty, "a connection attempt to answer");
        _answered.TryDequeue(out var peer);
        return peer!;
    }
}
