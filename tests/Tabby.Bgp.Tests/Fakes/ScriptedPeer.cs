using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>The far end of a <see cref="MemoryTransport"/>: a test plays the neighbour by sending and expecting BGP messages.</summary>
internal sealed class ScriptedPeer : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly MemoryTransport _end;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _count;

    public ScriptedPeer(MemoryTransport end, BgpCodecContext? context = null)
    {
        _end = end;
        Context = context ?? BgpCodecContext.Default;
    }

    public BgpCodecContext Context { get; set; }

    /// <summary>What the speaker has announced to this peer and not withdrawn, as of the last read.</summary>
    public Dictionary<IpPrefix, PathAttributes> Routes { get; } = [];

    /// <summary>Families whose End-of-RIB has arrived.</summary>
    public HashSet<BgpFamily> EndOfRib { get; } = [];

    /// <summary>Every prefix announced since <see cref="Routes"/> was last cleared by the test, in order (duplicates kept).</summary>
    public List<IpPrefix> Announced { get; } = [];

    public List<IpPrefix> Withdrawn { get; } = [];

    /// <summary>The families the speaker asked us to send again (ROUTE-REFRESH), in order.</summary>
    public List<BgpFamily> RefreshRequests { get; } = [];

    /// <summary>Reads UPDATEs into <see cref="Routes"/> until <paramref name="condition"/> holds; NOTIFICATION or a close fails the wait.</summary>
    public async Task ReadUntilAsync(Func<ScriptedPeer, bool> condition, string what)
    {
        while (!condition(this))
        {
            var message = await ReceiveAsync();
            switch (message)
            {
                case null:
                    throw new InvalidOperationException($"the speaker closed the connection while we waited for {what}");
                case BgpNotification n:
                    throw new InvalidOperationException($"the speaker sent {n} while we waited for {what}");
                case BgpRouteRefresh r:
                    RefreshRequests.Add(r.Family);
                    break;
                case BgpUpdate u when u.IsEndOfRib(out var family):
                    EndOfRib.Add(family);
                    break;
                case BgpUpdate u:
                    foreach (var p in u.Withdrawn())
                    {
                        Routes.Remove(p);
                        Withdrawn.Add(p);
                    }
                    foreach (var p in u.Announced())
                    {
                        Routes[p] = u.Attributes;
                        Announced.Add(p);
                    }
                    break;
            }
        }
    }

    public IPEndPoint Address => _end.Local;

    public void Send(BgpMessage message) => SendRaw(BgpMessageEncoder.Encode(message, Context));

    public void SendRaw(byte[] bytes) => _end.SendAsync(bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the connection the way a crash does: no NOTIFICATION.</summary>
    public void Drop() => _end.Dispose();

    /// <summary>The next message, or null when the connection closed first.</summary>
    public async Task<BgpMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? s_timeout);
        while (true)
        {
            if (_count >= BgpHeader.Length)
            {
                BgpHeader.TryRead(_buffer.AsSpan(0, _count), out _, out var length);
                if (_count >= length)
                {
                    var message = BgpMessageDecoder.Decode(_buffer.AsSpan(0, length), Context);
                    _buffer.AsSpan(length, _count - length).CopyTo(_buffer);
                    _count -= length;
                    return message;
                }
            }
            int read;
            try
            {
                read = await _end.ReceiveAsync(_buffer.AsMemory(_count), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("the speaker sent nothing in time");
            }
            if (read == 0)
                return null;
            _count += read;
        }
    }

    /// <summary>The next message that is not a KEEPALIVE (unless a KEEPALIVE is what is expected), as <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectAsync<T>()
        where T : BgpMessage
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message is T wanted)
                return wanted;
            if (message is BgpKeepalive)
                continue;
            throw new InvalidOperationException($"expected {typeof(T).Name}, got {message?.ToString() ?? "the end of the connection"}");
        }
    }

    /// <summary>True once the speaker closed the connection; any NOTIFICATION it sent first is returned through <paramref name="notification"/>.</summary>
    public async Task<(bool Closed, BgpNotification? Notification)> ReadUntilClosedAsync()
    {
        BgpNotification? notification = null;
        while (true)
        {
            var message = await ReceiveAsync();
            if (message is null)
                return (true, notification);
            if (message is BgpNotification n)
                notification = n;
        }
    }

    /// <summary>Plays the neighbour's side of the OPEN exchange: our OPEN, theirs, KEEPALIVEs both ways.</summary>
    public async Task<BgpOpen> HandshakeAsync(BgpOpen open)
    {
        Send(open);
        var theirs = await ExpectAsync<BgpOpen>();
        Context = Context with { FourOctetAs = open.SupportsFourOctetAs && theirs.SupportsFourOctetAs };
        Send(BgpKeepalive.Instance);
        await ExpectAsync<BgpKeepalive>();
        return theirs;
    }

    public void Dispose() => _end.Dispose();
}
