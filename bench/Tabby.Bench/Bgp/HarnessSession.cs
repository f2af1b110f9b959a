using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Bench.Bgp;

/// <summary>The benchmark's own minimal BGP peer: handshake, then blast pre-encoded UPDATEs or count what arrives.</summary>
/// <remarks>
/// It does no RIB work, so the time measured is the device under test's, not the harness's; the same
/// harness drives Tabby, BIRD, FRR and GoBGP.
/// </remarks>
internal sealed class HarnessSession : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private readonly HashSet<IpPrefix> _announced = [];
    private readonly HashSet<IpPrefix> _withdrawn = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _start;
    private int _count;
    private Task? _keepalives;
    private readonly CancellationTokenSource _stop = new();

    private HarnessSession(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = GC.AllocateUninitializedArray<byte>(bufferSize);
    }

    /// <summary>The clock the first counted announcement is timed against; set before the sender starts.</summary>
    public System.Diagnostics.Stopwatch? Clock { get; set; }

    /// <summary>Milliseconds on <see cref="Clock"/> when the first counted prefix arrived; null before.</summary>
    public double? FirstMs { get; private set; }

    /// <summary>Only prefixes inside this range are counted: daemons may announce connected routes of their own.</summary>
    public IpPrefix? CountOnly { get; set; }

    public int Announced => _announced.Count;
    public int Withdrawn => _withdrawn.Count;

    /// <summary>Connects from <paramref name="local"/> (inside <paramref name="ns"/>) and completes OPEN/KEEPALIVE; the DUT's AS is <paramref name="asn"/> (iBGP).</summary>
    public static async Task<HarnessSession> ConnectAsync(NetworkNamespace ns, IPAddress local, IPAddress remote, uint asn, TimeSpan timeout, int bufferSize = 1 << 20)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(new IPEndPoint(remote, 179), cts.Token).ConfigureAwait(false);
                var session = new HarnessSession(socket, bufferSize);
                await session.HandshakeAsync(local, asn).ConfigureAwait(false);
                return session;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or BgpWireException && DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private async Task HandshakeAsync(IPAddress local, uint asn)
    {
        var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(local.GetAddressBytes());
        var open = BgpOpen.Create(asn, 90, id, [new MultiprotocolCapability(BgpFamily.Ipv4Unicast), new FourOctetAsCapability(asn), RouteRefreshCapability.Instance]);
        await SendAsync([BgpMessageEncoder.Encode(open, BgpCodecContext.Default)]).ConfigureAwait(false);
        var sawOpen = false;
        while (true)
        {
            var message = await ReadMessageAsync().ConfigureAwait(false);
            switch (message)
            {
                case BgpOpen:
                    sawOpen = true;
                    await SendAsync([BgpMessageEncoder.Encode(BgpKeepalive.Instance, BgpCodecContext.Default)]).ConfigureAwait(false);
                    break;
                case BgpKeepalive when sawOpen:
                    _keepalives = Task.Run(KeepaliveLoopAsync);
                    return;
                case BgpNotification n:
                    throw new BgpWireException($"the device refused the session: {n}");
            }
        }
    }

    private async Task KeepaliveLoopAsync()
    {
        var keepalive = BgpMessageEncoder.Encode(BgpKeepalive.Instance, BgpCodecContext.Default);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token).ConfigureAwait(false);
                await SendAsync([keepalive]).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The run is over.
        }
    }

    public async Task SendAsync(IReadOnlyList<byte[]> messages)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var i = 0; i < messages.Count; i += 512)
            {
                var segments = messages.Skip(i).Take(512).Select(m => new ArraySegment<byte>(m)).ToList();
                var total = segments.Sum(s => s.Count);
                var sent = await _socket.SendAsync(segments).ConfigureAwait(false);
                if (sent != total)
                {
                    var rest = segments.SelectMany(s => s).Skip(sent).ToArray();
                    var offset = 0;
                    while (offset < rest.Length)
                        offset += await _socket.SendAsync(rest.AsMemory(offset)).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads UPDATEs until <paramref name="until"/> holds for the counts; false if the deadline passes first.</summary>
    public async Task<bool> ReceiveUntilAsync(Func<HarnessSession, bool> until, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (!until(this))
            {
                var message = await ReadMessageAsync(cts.Token).ConfigureAwait(false);
                if (message is BgpUpdate update)
                {
                    foreach (var p in update.Announced())
                    {
                        if (CountOnly is { } range && !range.Contains(p))
                            continue;
                        FirstMs ??= Clock?.Elapsed.TotalMilliseconds;
                        _announced.Add(p);
                        _withdrawn.Remove(p);
                    }
                    foreach (var p in update.Withdrawn())
                    {
                        if (_announced.Remove(p))
                            _withdrawn.Add(p);
                    }
                }
                else if (message is BgpNotification n)
                {
                    throw new BgpWireException($"the device closed the session: {n}");
                }
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<BgpMessage> ReadMessageAsync(CancellationToken token = default)
    {
        while (true)
        {
            if (_count >= BgpHeader.Length)
            {
                BgpHeader.TryRead(_buffer.AsSpan(_start, _count), out _, out var length);
                if (_count >= length)
                {
                    var message = BgpMessageDecoder.Decode(_buffer.AsSpan(_start, length), BgpCodecContext.Default);
                    _start += length;
                    _count -= length;
                    return message;
                }
            }
            if (_start > 0)
            {
                // Only a partial message is left: move it to the front before reading more.
                _buffer.AsSpan(_start, _count).CopyTo(_buffer);
                _start = 0;
            }
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_count), token).ConfigureAwait(false);
            if (read == 0)
                throw new IOException("the device closed the connection");
            _count += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_keepalives is not null)
            await _keepalives.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
